"""Imports as batches: an upload is staged and previewed, then imported as one batch that knows
its file's hash and counts, refuses the same file twice (unless told to replace the earlier
batch) and can be undone.

Staging keeps only the question columns of an upload: the identifying columns other tools export
(IP addresses, emails, names, respondent ids) are dropped before anything is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select

from ..extensions import db
from ..models import Campaign, ImportBatch, Participant, utcnow
from ..statuses import BatchStatus
from .import_formats import QUESTION, TOOLS, Column, Layout, Record, recognise
from .import_mapping import Mapping, automatic_targets
from .imports import ImportProblem, ImportRefused, read_upload
from .response_rows import ParsedRow, Plan, Preview, preview_import
from .services import campaign_instrument

STAGED_FOR = timedelta(hours=24)


def file_hash(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as hex: the same file always gives the same hash."""
    return hashlib.sha256(data).hexdigest()


def stage_upload(
    campaign: Campaign, data: bytes, filename: str, user_id: int | None = None
) -> ImportBatch:
    """Read and recognise an upload, and keep its question columns for the preview; flushes."""
    grid = read_upload(data, filename)
    layout = recognise(grid.rows, grid.numbers, subjects=_participant_emails(campaign))
    if not layout.records:
        raise ImportRefused([ImportProblem(None, "", "The file has header rows but no responses.")])
    _forget_stale_uploads()
    batch = ImportBatch(
        campaign_id=campaign.id,
        source=_new_source(campaign),
        file_hash=file_hash(data),
        filename=filename[-200:],
        tool=layout.tool.key if layout.tool else "",
        created_by=user_id,
        staged=_staged(layout, grid.describe()),
        counts={"records": len(layout.records)},
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _staged(layout: Layout, described: str) -> dict:
    kept = [c.index for c in layout.columns if c.role == QUESTION]
    return {
        "file": described,
        "header_rows": layout.header_rows,
        "columns": [[c.index, c.name, c.label, c.role] for c in layout.columns],
        "records": [
            [r.row, r.complete, r.why, r.test, [r.cells[i] for i in kept]] for r in layout.records
        ],
    }


def staged_layout(batch: ImportBatch) -> Layout:
    """The staged upload of a pending batch, as recognised (identifying cells are blank)."""
    staged = batch.staged or {}
    tool = next((t for t in TOOLS if t.key == batch.tool), None)
    columns = [
        Column(index, name, label, role) for index, name, label, role in staged.get("columns", [])
    ]
    kept = [c.index for c in columns if c.role == QUESTION]
    layout = Layout(tool, staged.get("header_rows", []), columns)
    for row, complete, why, test, cells in staged.get("records", []):
        full = [""] * len(columns)
        for index, value in zip(kept, cells, strict=True):
            full[index] = value
        layout.records.append(Record(row, full, complete, why, test))
    return layout


def _forget_stale_uploads() -> None:
    db.session.execute(
        delete(ImportBatch).where(
            ImportBatch.status == BatchStatus.PENDING,
            ImportBatch.created_at < utcnow() - STAGED_FOR,
        )
    )


def _new_source(campaign: Campaign) -> str:
    while True:
        source = f"imp-{secrets.token_hex(3)}"
        if not db.session.scalar(
            select(ImportBatch.id).where(
                ImportBatch.campaign_id == campaign.id, ImportBatch.source == source
            )
        ):
            return source


def plan_for(
    campaign: Campaign, layout: Layout, mapping: Mapping | None = None, **policies: str
) -> Plan:
    """The plan an import starts from: saved or given mapping first, then matching headers."""
    instrument = campaign_instrument(campaign)
    columns = automatic_targets(layout, instrument, campaign.is_360, mapping)
    return Plan(columns=columns, labels=dict(mapping.labels) if mapping else {}, **policies)


def preview_batch(
    campaign: Campaign, batch: ImportBatch, plan: Plan, layout: Layout | None = None
) -> Preview:
    """What importing the staged upload (or its layout, already read) with this plan stores."""
    return preview_import(
        campaign, campaign_instrument(campaign), layout or staged_layout(batch), plan
    )


def earlier_batch(campaign: Campaign, batch: ImportBatch) -> ImportBatch | None:
    """An imported batch of this campaign from the very same file, if there is one."""
    return db.session.scalar(
        select(ImportBatch).where(
            ImportBatch.campaign_id == campaign.id,
            ImportBatch.file_hash == batch.file_hash,
            ImportBatch.status == BatchStatus.IMPORTED,
            ImportBatch.id != batch.id,
        )
    )


def write_import_batch(campaign: Campaign, batch: ImportBatch, rows: list[ParsedRow]) -> int:
    """Write a batch's answers through the mix, with the batch as their source.

    The one place imported answers are written, so they take the same anonymous path as answers
    given by link (docs/design.md §3.1): a survey batch is mixed at once, in random order, and
    needs at least k rows; a 360 batch waits sealed until its participants' windows close. File
    order (often the other tool's submission order) is never kept.
    """
    from ..mixing.services import write_imported

    try:
        return write_imported(campaign, list(rows), batch.source)
    except ValueError as refusal:
        raise ImportRefused([ImportProblem(None, "", str(refusal))]) from None


def complete_import(
    campaign: Campaign, batch: ImportBatch, preview: Preview, replace: bool = False
) -> ImportBatch | None:
    """Import a previewed batch; returns the earlier batch it replaced, if any. Flushes."""
    if batch.status != BatchStatus.PENDING:
        raise ImportRefused(
            [
                ImportProblem(
                    None, "", "This upload was already imported or undone: upload the file again."
                )
            ]
        )
    if not preview.ready:
        raise ImportRefused(preview.problems)
    earlier = earlier_batch(campaign, batch)
    if earlier and not replace:
        raise ImportRefused([ImportProblem(None, "", duplicate_message(earlier))])
    if earlier:
        undo_batch(campaign, earlier, status=BatchStatus.REPLACED)
    write_import_batch(campaign, batch, preview.rows)
    batch.status, batch.imported_at, batch.staged = BatchStatus.IMPORTED, utcnow(), None
    batch.counts = {**dict(preview.counts), "replaced": earlier.source if earlier else ""}
    db.session.flush()
    return earlier


def duplicate_message(earlier: ImportBatch) -> str:
    """Why the same file is refused a second time, and what to do instead."""
    return (
        f"This file was already imported on {earlier.imported_at:%d %B %Y} as batch "
        f"{earlier.source} ({earlier.counts.get('imported', 0)} responses). Importing it "
        "again would count those people twice: undo that batch first, or choose to replace "
        "it."
    )


def undo_batch(campaign: Campaign, batch: ImportBatch, status: str = BatchStatus.UNDONE) -> int:
    """Delete every response an imported batch added; returns how many. Flushes."""
    if batch.status != BatchStatus.IMPORTED:
        raise ImportRefused(
            [
                ImportProblem(
                    None,
                    "",
                    f"Batch {batch.source} is {batch.status}, so there is nothing to undo.",
                )
            ]
        )
    from ..mixing.services import unimport

    try:
        count = unimport(campaign, batch.source)
    except ValueError as refusal:
        raise ImportRefused([ImportProblem(None, "", str(refusal))]) from None
    batch.status, batch.undone_at = status, utcnow()
    batch.counts = {**batch.counts, "removed": count}
    db.session.flush()
    return count


def campaign_batches(campaign: Campaign) -> list[ImportBatch]:
    """Every import of the campaign, newest first (pending previews left out)."""
    return list(
        db.session.scalars(
            select(ImportBatch)
            .where(
                ImportBatch.campaign_id == campaign.id, ImportBatch.status != BatchStatus.PENDING
            )
            .order_by(ImportBatch.created_at.desc(), ImportBatch.source)
        )
    )


def find_batch(campaign: Campaign, reference: str) -> ImportBatch | None:
    """A batch of this campaign by its id or its source reference (imp-…)."""
    if len(reference) > 36:
        return None
    return db.session.scalar(
        select(ImportBatch).where(
            ImportBatch.campaign_id == campaign.id,
            or_(ImportBatch.id == reference, ImportBatch.source == reference),
        )
    )


def import_responses(
    campaign: Campaign,
    data: bytes,
    filename: str = "",
    mapping: Mapping | None = None,
    replace: bool = False,
    user_id: int | None = None,
    **policies: str,
) -> tuple[ImportBatch, Preview]:
    """Stage, plan, check and import in one go (the command line); ImportRefused on problems."""
    batch = stage_upload(campaign, data, filename, user_id)
    layout = staged_layout(batch)
    preview = preview_batch(
        campaign, batch, plan_for(campaign, layout, mapping, **policies), layout
    )
    complete_import(campaign, batch, preview, replace=replace)
    return batch, preview


def _participant_emails(campaign: Campaign) -> set[str]:
    """A 360 campaign's participants' addresses: the one column of emails an upload may keep."""
    if not campaign.is_360:
        return set()
    return {
        email.lower()
        for email in db.session.scalars(
            select(Participant.email).where(
                Participant.campaign_id == campaign.id, Participant.email.is_not(None)
            )
        )
        if email is not None
    }
