"""Responses as CSV or XLSX, one row per response, keeping the anonymity rules (docs/design.md §3).

No rater identity is exported. In a 360, self and line manager rows carry their relationship;
other groups are named only when they hold at least k responses for that participant; smaller
groups are pooled as "other raters", and if the pool is still below k its rows carry no
relationship at all. Rows are ordered by what is published, never by the hidden group.

Each row has a random response id (stable across exports, never the stored id), its source (a
link, or the import batch it came from) and its day; in a 360 only rows shown person by person
(self, line manager) carry the day, so a day never narrows down who in a group answered.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from instruments import QUESTION_TYPES, Instrument, type_of
from instruments.composite_types import CompositeType, composite_type

from ..extensions import db
from ..models import Answer, Campaign, Participant, Response
from ..statuses import CampaignKind
from .csvfiles import PLAIN_NUMBER, write_csv, xlsx_cell
from .services import campaign_instrument, campaign_settings
from .tracking import individual_relationships

POOLED = "other raters"
ROW_COLUMNS = ("response_id", "source", "day")


@dataclass
class ExportTable:
    """Column names, rows (dicts by column), notes on what was pooled, and what each column is.

    `labels` gives a column's question, `value_labels` a code column's options, `multiple` the
    columns holding several codes joined by "; ", `twins` the "(label)" columns that repeat a
    code column in words; `kind` is "360" or "survey".
    """

    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    numeric: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    multiple: set[str] = field(default_factory=set)
    twins: set[str] = field(default_factory=set)
    kind: str = CampaignKind.SURVEY


def item_columns(
    instrument: Instrument, given: dict[str, list[list[str]]] | None = None
) -> list[tuple[str, str, str]]:
    """(column name, item id, 'code' | 'label' | 'value') for every item, in form order.

    A composite item has a column per part, "<id>.<part>" with part "part:<part>" (and a
    "(label)" twin, "label:<part>", for a grid); `given` (each item's answers) says how many
    rows of repeating rows to make room for.
    """
    columns = []
    for item in instrument.items:
        qtype = type_of(item)
        if isinstance(qtype, CompositeType):
            for suffix, _ in qtype.export_columns(item, (given or {}).get(item.id, [])):
                name = f"{item.id}.{suffix}"
                columns.append((name, item.id, f"part:{suffix}"))
                if qtype.coded:
                    columns.append((f"{name} (label)", item.id, f"label:{suffix}"))
        elif type_of(item).coded:
            columns += [(item.id, item.id, "code"), (f"{item.id} (label)", item.id, "label")]
        else:
            columns.append((item.id, item.id, "value"))
    return columns


def published_relationships(
    relationships: list[str | None], individual: set[str], k: int
) -> dict[str | None, str | None]:
    """What each hidden relationship is published as, for one participant's responses."""
    counts = Counter(r for r in relationships if r not in individual)
    small = {r for r, n in counts.items() if n < k}
    pooled_label = POOLED if sum(counts[r] for r in small) >= k else ""
    labels: dict[str | None, str | None] = {r: r for r in individual}
    labels.update({r: (pooled_label if r in small else r) for r in counts})
    return labels


def build_table(campaign: Campaign, with_names: bool = True) -> ExportTable:
    """Every response of the campaign as export rows."""
    instrument = campaign_instrument(campaign)
    settings = campaign_settings(campaign)
    k = int(settings["anonymity_threshold"])
    answers = _answers_by_response(campaign)
    responses = list(
        db.session.scalars(
            select(Response).where(Response.campaign_id == campaign.id).order_by(Response.id)
        )
    )
    given: dict[str, list[list[str]]] = defaultdict(list)
    for by_item in answers.values():
        for item_id, values in by_item.items():
            given[item_id].append(values)
    spec = item_columns(instrument, given)
    is_360 = campaign.is_360
    lead = ["participant", "participant_id", "relationship"] if is_360 else []
    table = ExportTable(
        columns=["response_id", *lead, "source", "day"] + [c for c, _, _ in spec],
        kind=CampaignKind.THREE_SIXTY if is_360 else CampaignKind.SURVEY,
    )
    _describe_columns(table, instrument, spec)
    groups = _groups(campaign, responses, settings, k, table) if is_360 else {}
    dated = individual_relationships(campaign) if is_360 else set()
    for response in responses:
        row = _answer_cells(instrument, spec, answers.get(response.id, {}))
        row.update(
            {
                "response_id": export_id(response.id),
                "source": response.source,
                "day": response.submitted_on.isoformat(),
            }
        )
        if is_360:
            participant, label = groups[response.id]
            row.update(
                {
                    "participant": participant.name if (participant and with_names) else "",
                    "participant_id": participant.id if participant else "",
                    "relationship": label,
                }
            )
            if label not in dated:
                row["day"] = ""
        table.rows.append(row)
    if is_360:
        _blank_individual_comments(table, instrument, settings)
        table.rows.sort(key=lambda r: (r["participant"], r["participant_id"], r["relationship"]))
    else:
        _generalise_small_groups(table, instrument, k)
    return table


def _text_columns(instrument: Instrument, item_ids) -> list[str]:
    return [
        item.id for item in instrument.items if item.id in item_ids and type_of(item).is_free_text
    ]


def _blank_individual_comments(table: ExportTable, instrument: Instrument, settings) -> None:
    """A line manager's row is theirs alone, so their comments stay out of it (docs/design.md
    §3.5): the report shows them unattributed among the other raters' comments instead."""
    individual = {r["id"] for r in settings.get("relationships") or [] if r.get("individual")} - {
        "self"
    }
    text = _text_columns(instrument, set(table.columns))
    blanked = 0
    for row in table.rows:
        if row["relationship"] in individual:
            blanked += sum(1 for column in text if row[column])
            row.update(dict.fromkeys(text, ""))
    if blanked:
        table.notes.append(
            f"{blanked} comments from individually shown raters (line managers) "
            "are left out of their rows; the report shows them unattributed."
        )


# Where someone works: the groups the audit summary is split by, and the answers that, alone,
# can point at one person in a small authority.
PLACE_ITEMS = ("organisation", "sub_region", "local_authority", "authority", "location")


def group_items(instrument: Instrument) -> list[str]:
    """Questions that place a respondent in an organisation or area."""
    ids = {item.id for item in instrument.items}
    return [item_id for item_id in PLACE_ITEMS if item_id in ids]


def _generalise_small_groups(table: ExportTable, instrument: Instrument, k: int) -> None:
    """Blank a place answer (organisation, sub-region…) shared by fewer than k respondents: the
    findings never show such a group, so its rows must not point at its one or two people."""
    for item_id in group_items(instrument):
        columns = [c for c in (item_id, f"{item_id} (label)") if c in table.columns]
        counts = Counter(" ".join(row[item_id].casefold().split()) for row in table.rows)
        blanked = 0
        for row in table.rows:
            key = " ".join(row[item_id].casefold().split())
            if key and counts[key] < k:
                row.update(dict.fromkeys(columns, f"(fewer than {k})"))
                blanked += 1
        if blanked:
            table.notes.append(
                f"'{item_id}': {blanked} answers shared by fewer than {k} "
                "respondents are replaced by '(fewer than k)'."
            )


def export_id(response_id: str) -> str:
    """A response's id in exports: random-looking, the same in every export, not the stored id."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"export-row:" + response_id.encode(), hashlib.sha256).hexdigest()[:12]


def _describe_columns(table: ExportTable, instrument: Instrument, spec) -> None:
    table.labels.update(
        {
            "response_id": "Response (random id)",
            "participant": "Participant",
            "participant_id": "Participant id",
            "relationship": "Relationship (as published)",
            "source": "Source: link, or import batch",
            "day": "Day the response was stored",
        }
    )
    for column, item_id, part in spec:
        item = instrument.item(item_id)
        qtype = type_of(item)
        table.labels[column] = " ".join(item.prompt.replace("{name}", "the participant").split())
        if item.units:
            table.labels[column] += f" ({item.units})"
        if isinstance(qtype, CompositeType):
            kind, _, suffix = part.partition(":")
            label = qtype.column_label(item, suffix)
            table.labels[column] = " ".join(label.replace("{name}", "the participant").split())
            if kind == "label":
                table.twins.add(column)
            else:
                options = qtype.column_options(item, suffix)
                if options:
                    table.value_labels[column] = options
                if qtype.column_numeric(item, suffix):
                    table.numeric.add(column)
            continue
        if part == "label":
            table.twins.add(column)
        elif part == "code":
            table.value_labels[column] = dict(QUESTION_TYPES[item.type].choices(item))
            if type_of(item).multiple:
                table.multiple.add(column)
        if type_of(item).numeric or (part == "code" and type_of(item).scored):
            table.numeric.add(column)


def _answers_by_response(campaign: Campaign) -> dict[str, dict[str, list[str]]]:
    query = (
        select(Answer)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.campaign_id == campaign.id)
        .order_by(Answer.response_id, Answer.item_id, Answer.position)
    )
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for answer in db.session.scalars(query):
        found[answer.response_id][answer.item_id].append(answer.value)
    return found


def _answer_cells(instrument, spec, answers: dict[str, list[str]]) -> dict:
    row = {}
    cells: dict[str, dict[str, str]] = {}
    for column, item_id, part in spec:
        values = answers.get(item_id, [])
        kind, _, suffix = part.partition(":")
        if suffix:
            item = instrument.item(item_id)
            qtype = composite_type(item)
            if item_id not in cells:
                cells[item_id] = qtype.export_cells(item, values)
            code = cells[item_id].get(suffix, "")
            if kind == "label":
                code = qtype.column_options(item, suffix).get(code, code)
            row[column] = code
            continue
        if part == "label":
            item = instrument.item(item_id)
            labels = dict(QUESTION_TYPES[item.type].choices(item))
            values = [labels.get(v, v) for v in values]
        row[column] = "; ".join(values)
    return row


def _groups(campaign, responses, settings, k, table) -> dict[str, tuple]:
    individual = {"self"} | {
        r["id"] for r in settings.get("relationships") or [] if r.get("individual")
    }
    participants = {
        p.id: p
        for p in db.session.scalars(
            select(Participant).where(Participant.campaign_id == campaign.id)
        )
    }
    by_participant = defaultdict(list)
    for response in responses:
        by_participant[response.participant_id].append(response)
    groups = {}
    for participant_id, own in by_participant.items():
        labels = published_relationships([r.relationship for r in own], individual, k)
        participant = participants.get(participant_id)
        pooled = sorted({r.relationship for r in own if labels[r.relationship] != r.relationship})
        if pooled:
            name = participant.name if participant else "unknown participant"
            shown = labels[pooled[0]] or "no relationship"
            table.notes.append(
                f"{name}: {', '.join(map(str, pooled))} shown as '{shown}' (groups under {k})"
            )
        for response in own:
            groups[response.id] = (participant, labels[response.relationship] or "")
    return groups


def to_csv(table: ExportTable, excel: bool = False) -> str:
    """The table as CSV text, formula-safe; `excel` starts it with the BOM Excel needs."""
    return write_csv(table.columns, table.rows, excel=excel)


def about_text(table: ExportTable) -> str:
    """What an export promises about anonymity, in the words of its kind of campaign."""
    if table.kind == CampaignKind.THREE_SIXTY:
        return (
            "Rater identities are never exported. Groups under the anonymity threshold are "
            "pooled as 'other raters', or shown without a relationship; only self and line "
            "manager rows carry a day."
        )
    return (
        "Respondents are never identified: no names, emails, links or times finer than "
        "the day are exported. Each row is one response with a random id."
    )


def to_xlsx(table: ExportTable, title: str) -> bytes:
    """The table as an XLSX workbook: Responses (numbers as numbers), Codebook and About."""
    from openpyxl import Workbook  # heavy (numpy): loaded only when a workbook is made

    from .stat_exports import codebook_rows

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append([xlsx_cell(sheet, c) for c in table.columns])
    for row in table.rows:
        sheet.append(
            [xlsx_cell(sheet, _typed(row.get(c, ""), c in table.numeric)) for c in table.columns]
        )
    codebook = workbook.create_sheet("Codebook")
    for values in codebook_rows(table):
        codebook.append([xlsx_cell(codebook, v) for v in values])
    about = workbook.create_sheet("About")
    for line in (title, about_text(table), *table.notes):
        about.append([xlsx_cell(about, line)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _typed(value: str, numeric: bool):
    if numeric and value and PLAIN_NUMBER.match(value):
        return float(value) if "." in value else int(value)
    return value
