"""Responses as CSV or XLSX, one row per response, keeping the anonymity rules (docs/design.md §3).

No rater identity is exported. In a 360, self and line manager rows carry their relationship;
other groups are named only when they hold at least k responses for that participant; smaller
groups are pooled as "other raters", and if the pool is still below k its rows carry no
relationship at all. Rows are ordered by what is published, never by the hidden group.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlalchemy import select

from instruments import QUESTION_TYPES, Instrument

from ..extensions import db
from ..models import Answer, Campaign, Participant, Response
from .csvfiles import PLAIN_NUMBER, safe_cell, write_csv
from .services import campaign_instrument, campaign_settings

POOLED = "other raters"
CHOICE_TYPES = ("single_choice", "multiple_choice", "rating_scale", "levelled")


@dataclass
class ExportTable:
    """Column names, rows (dicts by column) and notes on what was pooled."""

    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    numeric: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def item_columns(instrument: Instrument) -> list[tuple[str, str, str]]:
    """(column name, item id, 'code' | 'label' | 'value') for every item, in form order."""
    columns = []
    for item in instrument.items:
        if item.type in CHOICE_TYPES:
            columns += [(item.id, item.id, "code"), (f"{item.id} (label)", item.id, "label")]
        else:
            columns.append((item.id, item.id, "value"))
    return columns


def published_relationships(relationships: list[str | None], individual: set[str],
                            k: int) -> dict[str | None, str]:
    """What each hidden relationship is published as, for one participant's responses."""
    counts = Counter(r for r in relationships if r not in individual)
    small = {r for r, n in counts.items() if n < k}
    pooled_label = POOLED if sum(counts[r] for r in small) >= k else ""
    labels = {r: r for r in individual}
    labels.update({r: (pooled_label if r in small else r) for r in counts})
    return labels


def build_table(campaign: Campaign, with_names: bool = True) -> ExportTable:
    """Every response of the campaign as export rows."""
    instrument = campaign_instrument(campaign)
    settings = campaign_settings(campaign)
    k = int(settings["anonymity_threshold"])
    answers = _answers_by_response(campaign)
    responses = list(db.session.scalars(
        select(Response).where(Response.campaign_id == campaign.id).order_by(Response.id)))
    spec = item_columns(instrument)
    is_360 = campaign.kind == "360"
    lead = ["participant", "participant_id", "relationship"] if is_360 else []
    table = ExportTable(columns=lead + [c for c, _, _ in spec])
    table.numeric = {c for c, item_id, _ in spec if instrument.item(item_id).type == "number"}
    groups = _groups(campaign, responses, settings, k, table) if is_360 else {}
    for response in responses:
        row = _answer_cells(instrument, spec, answers.get(response.id, {}))
        if is_360:
            participant, label = groups[response.id]
            row.update({"participant": participant.name if (participant and with_names) else "",
                        "participant_id": participant.id if participant else "",
                        "relationship": label})
        table.rows.append(row)
    if is_360:
        _blank_individual_comments(table, instrument, settings)
        table.rows.sort(key=lambda r: (r["participant"], r["participant_id"], r["relationship"]))
    else:
        _generalise_small_groups(table, instrument, k)
    return table


def _text_columns(instrument: Instrument, item_ids) -> list[str]:
    return [item.id for item in instrument.items
            if item.id in item_ids and item.type in ("short_text", "long_text")]


def _blank_individual_comments(table: ExportTable, instrument: Instrument, settings) -> None:
    """A line manager's row is theirs alone, so their comments stay out of it (docs/design.md
    §3.5): the report shows them unattributed among the other raters' comments instead."""
    individual = {r["id"] for r in settings.get("relationships") or []
                  if r.get("individual")} - {"self"}
    text = _text_columns(instrument, set(table.columns))
    blanked = 0
    for row in table.rows:
        if row["relationship"] in individual:
            blanked += sum(1 for column in text if row[column])
            row.update(dict.fromkeys(text, ""))
    if blanked:
        table.notes.append(f"{blanked} comments from individually shown raters (line managers) "
                           "are left out of their rows; the report shows them unattributed.")


def group_items(instrument: Instrument) -> list[str]:
    """Questions that place a respondent in a group: what findings are split by."""
    split = {item_id for pair in instrument.crosstabs for item_id in pair}
    ids = {item.id for item in instrument.items}
    return [item_id for item_id in ids & (split | {"sub_region", "organisation"})]


def _generalise_small_groups(table: ExportTable, instrument: Instrument, k: int) -> None:
    """Blank a group answer (organisation, sub-region, a split question) shared by fewer than k
    respondents: the findings never show such a group, so its rows must not either."""
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
            table.notes.append(f"'{item_id}': {blanked} answers shared by fewer than {k} "
                               "respondents are replaced by '(fewer than k)'.")


def _answers_by_response(campaign: Campaign) -> dict[str, dict[str, list[str]]]:
    query = (select(Answer).join(Response, Answer.response_id == Response.id)
             .where(Response.campaign_id == campaign.id)
             .order_by(Answer.response_id, Answer.item_id, Answer.position))
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for answer in db.session.scalars(query):
        found[answer.response_id][answer.item_id].append(answer.value)
    return found


def _answer_cells(instrument, spec, answers: dict[str, list[str]]) -> dict:
    row = {}
    for column, item_id, part in spec:
        values = answers.get(item_id, [])
        if part == "label":
            item = instrument.item(item_id)
            labels = dict(QUESTION_TYPES[item.type].choices(item))
            values = [labels.get(v, v) for v in values]
        row[column] = "; ".join(values)
    return row


def _groups(campaign, responses, settings, k, table) -> dict[str, tuple]:
    individual = {"self"} | {r["id"] for r in settings.get("relationships") or []
                             if r.get("individual")}
    participants = {p.id: p for p in db.session.scalars(
        select(Participant).where(Participant.campaign_id == campaign.id))}
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
            table.notes.append(f"{name}: {', '.join(map(str, pooled))} shown as '{shown}' "
                               f"(groups under {k})")
        for response in own:
            groups[response.id] = (participant, labels[response.relationship] or "")
    return groups


def to_csv(table: ExportTable) -> str:
    """The table as CSV text, formula-safe."""
    return write_csv(table.columns, table.rows)


def to_xlsx(table: ExportTable, title: str) -> bytes:
    """The table as an XLSX workbook: a Responses sheet and an About sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([_xlsx_cell(row.get(c, ""), c in table.numeric) for c in table.columns])
    about = workbook.create_sheet("About")
    about.append([safe_cell(title)])
    about.append(["Rater identities are never exported. Groups under the anonymity threshold "
                  "are pooled as 'other raters', or shown without a relationship."])
    for note in table.notes:
        about.append([safe_cell(note)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value: str, numeric: bool):
    if numeric and value and PLAIN_NUMBER.match(value):
        return float(value) if "." in value else int(value)
    return safe_cell(value)
