"""`survey-app responses …`: preview, map and import other tools' exports; list and undo batches."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..admin.audit_log import record_event
from ..extensions import db
from ..statuses import BatchStatus
from .batches import (
    campaign_batches,
    complete_import,
    duplicate_message,
    earlier_batch,
    find_batch,
    plan_for,
    preview_batch,
    stage_upload,
    staged_layout,
    undo_batch,
)
from .cli_common import find_campaign, read_file, refuse
from .import_formats import IDENTIFYING, METADATA, QUESTION
from .import_mapping import (
    MappingError,
    read_mapping,
    save_mapping,
    saved_mapping,
    suggestions,
    target_choices,
)
from .imports import ImportRefused
from .response_rows import POLICIES, unmatched_answers
from .services import campaign_instrument

responses_cli = AppGroup("responses", help="Import responses collected elsewhere, as batches.")
ACCEPT_SUGGESTION_AT = 0.8


@responses_cli.command("import")
@click.argument("campaign_id")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    default=None,
    help="YAML (columns/labels) or CSV (column,item_id) mapping file.",
)
@click.option("--saved", "saved_name", default=None, help="Use a mapping saved earlier.")
@click.option(
    "--incomplete",
    type=click.Choice(POLICIES["incomplete"]),
    default="skip",
    show_default=True,
    help="Responses the tool marks unfinished or unsubmitted.",
)
@click.option(
    "--blank",
    type=click.Choice(POLICIES["blank"]),
    default="skip",
    show_default=True,
    help="Rows with no answer in the matched columns.",
)
@click.option(
    "--long",
    "long_",
    type=click.Choice(POLICIES["long"]),
    default="truncate",
    show_default=True,
    help="Answers longer than their question allows.",
)
@click.option(
    "--suggested",
    is_flag=True,
    help=f"Also match columns to their nearest question (likeness ≥ {ACCEPT_SUGGESTION_AT}).",
)
@click.option("--replace", is_flag=True, help="Replace an earlier import of the same file.")
@click.option(
    "--preview", "preview_only", is_flag=True, help="Show what would happen; import nothing."
)
@click.option(
    "--write-mapping",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the proposed mapping (YAML) to edit and pass back with --mapping.",
)
@click.option("--save-mapping", "save_as", default=None, help="Save the mapping under a name.")
def responses_import(
    campaign_id,
    file,
    mapping,
    saved_name,
    incomplete,
    blank,
    long_,
    suggested,
    replace,
    preview_only,
    write_mapping,
    save_as,
):
    """Preview FILE (CSV, TSV or XLSX from any tool) and import it as one batch.

    Prints the number of responses imported as the last line.
    """
    campaign = find_campaign(campaign_id)
    try:
        given = read_mapping(read_file(mapping), mapping.name) if mapping else None
        if saved_name:
            given = saved_mapping(campaign.owner_id, campaign.instrument_key, saved_name)
            if given is None:
                raise MappingError(f"No saved mapping called '{saved_name}' for this instrument.")
        batch = stage_upload(campaign, read_file(file), file.name)
        layout = staged_layout(batch)
        plan = plan_for(campaign, layout, given, incomplete=incomplete, blank=blank, long=long_)
        if suggested:
            _accept_suggestions(campaign, layout, plan)
        preview = preview_batch(campaign, batch, plan, layout)
        _echo_preview(campaign, batch, layout, plan, preview)
        if write_mapping:
            _write_mapping(write_mapping, campaign, layout, plan, preview)
        if unmatched_answers(preview):
            click.echo(
                "Say what each answer means under 'labels:' in a mapping file "
                "(--write-mapping FILE writes one to fill in), then pass it with "
                "--mapping.",
                err=True,
            )
        if preview_only:
            db.session.rollback()
            click.echo("Nothing was imported (--preview).")
            return
        replaced = complete_import(campaign, batch, preview, replace=replace)
        if save_as:
            save_mapping(campaign.owner_id, campaign.instrument_key, save_as, plan.mapping(layout))
    except ImportRefused as refusal:
        refuse(refusal)
    except MappingError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    record_event(
        "responses_imported",
        campaign,
        f"batch {batch.source}: {len(preview.rows)} responses from {file.name} (command line)",
    )
    db.session.commit()
    if replaced:
        click.echo(f"Batch {replaced.source} was replaced.")
    click.echo(f"Imported responses into '{campaign.title}' as batch {batch.source}:")
    click.echo(len(preview.rows))


def _accept_suggestions(campaign, layout, plan) -> None:
    instrument = campaign_instrument(campaign)
    for column in layout.columns:
        if column.role != QUESTION or column.index in plan.columns:
            continue
        for target, score in suggestions(column, instrument, campaign.is_360, 1):
            if score >= ACCEPT_SUGGESTION_AT and target not in plan.columns.values():
                plan.columns[column.index] = target


def _echo_preview(campaign, batch, layout, plan, preview) -> None:
    instrument = campaign_instrument(campaign)
    headers = f"header rows {', '.join(map(str, layout.header_rows))}"
    click.echo(
        f"Read {batch.filename}: {batch.staged['file']}; recognised {layout.tool_name} ({headers})."
    )
    for role, words in (
        (IDENTIFYING, "Never stored (they identify people)"),
        (METADATA, f"Not imported ({layout.tool_name}'s own columns)"),
    ):
        if layout.dropped(role):
            click.echo(f"{words}: " + ", ".join(c.describe() for c in layout.dropped(role)))
    click.echo("Columns:")
    for column in layout.columns:
        if column.role != QUESTION:
            continue
        if column.index in plan.columns:
            click.echo(f"  {column.describe()} -> {plan.columns[column.index]}")
            continue
        near = ", ".join(
            f"{t} ({s:.2f})" for t, s in suggestions(column, instrument, campaign.is_360)
        )
        click.echo(
            f"  {column.describe()} -> not imported" + (f"; nearest: {near}" if near else "")
        )
    counts = preview.counts
    parts = [f"{counts['records']} in the file"]
    for key, words in (
        ("tests", "survey previews or tests never imported"),
        ("incomplete", "incomplete left out"),
        ("blank", f"blank ({plan.blank})"),
        ("long", f"with over-long answers ({plan.long})"),
    ):
        if counts[key]:
            parts.append(f"{counts[key]} {words} (rows {_rows(preview.rows_of[key])})")
    click.echo(f"Rows: {'; '.join(parts)}; {counts['imported']} to import.")
    earlier = earlier_batch(campaign, batch)
    if earlier:
        click.echo(duplicate_message(earlier) + " (use --replace)", err=True)


def _rows(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:12])) + (
        f" and {len(numbers) - 12} more" if len(numbers) > 12 else ""
    )


def _write_mapping(path: Path, campaign, layout, plan, preview) -> None:
    instrument = campaign_instrument(campaign)
    is_360 = campaign.is_360
    lines = [
        f"# Mapping for {layout.tool_name} exports into {instrument.key}.",
        "# Set a column to a question id (or item[option] for a yes/no column of one",
        "# option), or leave it empty to ignore it. Under labels, give each answer text",
        '# the option code it means ("" for no answer).',
        "columns:",
    ]
    for column in layout.columns:
        if column.role != QUESTION:
            continue
        target = plan.columns.get(column.index)
        near = (
            ""
            if target
            else "  # nearest: "
            + (", ".join(t for t, _ in suggestions(column, instrument, is_360)) or "none")
        )
        lines.append(
            f"  {json.dumps(column.name, ensure_ascii=False)}: "
            f"{json.dumps(target) if target else ''}{near}"
        )
    lines.append("labels:")
    waiting: dict[str, list[str]] = {}
    for item_id, text, _ in unmatched_answers(preview):
        waiting.setdefault(item_id, []).append(text)
    for item_id in sorted(set(plan.labels) | set(waiting)):
        codes = dict(target_choices(instrument, is_360))
        lines.append(f"  {item_id}:  # {codes.get(item_id, item_id)}")
        for text, code in plan.labels.get(item_id, {}).items():
            lines.append(f"    {json.dumps(text, ensure_ascii=False)}: {json.dumps(code)}")
        options = ", ".join(o.code for o in instrument.item(item_id).options) or "see the form"
        for text in waiting.get(item_id, []):
            lines.append(f"    {json.dumps(text, ensure_ascii=False)}:   # one of: {options}")
    try:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"Cannot write {path}: {error.strerror}.") from None
    click.echo(f"Wrote the proposed mapping to {path}.")


@responses_cli.command("batches")
@click.argument("campaign_id")
def responses_batches(campaign_id):
    """List the campaign's import batches (newest first)."""
    campaign = find_campaign(campaign_id)
    for batch in campaign_batches(campaign):
        when = f"{batch.imported_at:%Y-%m-%d %H:%M}" if batch.imported_at else "-"
        click.echo(
            f"{batch.source}\t{batch.status}\t{when}\t"
            f"{batch.counts.get('imported', 0)} responses\t{batch.filename}\t"
            f"sha256:{batch.file_hash[:12]}"
        )


@responses_cli.command("undo")
@click.argument("campaign_id")
@click.argument("batch")
def responses_undo(campaign_id, batch):
    """Remove every response an import batch added (BATCH is imp-… or the batch id)."""
    campaign = find_campaign(campaign_id)
    found = find_batch(campaign, batch)
    if found is None or found.status == BatchStatus.PENDING:
        raise click.ClickException(
            f"No import batch '{batch}' in this campaign; see "
            f"`survey-app responses batches {campaign.id}`."
        )
    try:
        removed = undo_batch(campaign, found)
    except ImportRefused as refusal:
        refuse(refusal)
    record_event(
        "import_undone",
        campaign,
        f"batch {found.source}: {removed} responses removed (command line)",
    )
    db.session.commit()
    click.echo(f"Undid batch {found.source}: {removed} responses removed.")
