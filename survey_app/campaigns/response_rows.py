"""Turning an understood upload into responses: the commissioner's plan, then every row checked.

The plan says which question each column answers, how answer texts translate to options, and
what to do with incomplete rows, blank rows and answers longer than a question allows. The
preview counts every choice before anything is stored; problems are located by the spreadsheet
row a person sees and the column letter.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from instruments import QUESTION_TYPES, Instrument, Item, type_of
from instruments.composite_types import composite_type
from instruments.types import ShortText

from ..extensions import db
from ..models import Campaign, Participant
from .import_formats import QUESTION, Column, Layout, Record, norm
from .import_mapping import (
    RELATIONSHIP,
    SUBJECT,
    Mapping,
    nearest_label,
    part_targets,
    split_target,
)
from .imports import ImportProblem

ParsedRow = tuple[str | None, str | None, dict[str, list[str]]]
CHOSEN = {"y", "yes", "1", "true", "x", "selected", "checked", "chosen"}
NOT_CHOSEN = {"", "n", "no", "0", "false", "not selected", "unchecked", "not chosen"}
SEPARATORS = ";,|"
POLICIES = {
    "incomplete": ("skip", "keep"),
    "blank": ("skip", "keep"),
    "long": ("truncate", "skip", "keep"),
}


class UnknownAnswer(ValueError):
    """An answer text that is not one of a question's options (yet)."""

    def __init__(self, text: str, reason: str):
        super().__init__(reason)
        self.text = text


@dataclass
class Plan:
    """What the commissioner decided: column targets, answer texts, and the three policies."""

    columns: dict[int, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    incomplete: str = "skip"
    blank: str = "skip"
    long: str = "truncate"

    def as_json(self) -> dict:
        """The plan as JSON-ready data."""
        return {
            "columns": {str(i): t for i, t in sorted(self.columns.items())},
            "labels": self.labels,
            "incomplete": self.incomplete,
            "blank": self.blank,
            "long": self.long,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Plan:
        """A plan saved by as_json (unknown policy values fall back to the defaults)."""
        data = data or {}
        plan = cls(
            columns={int(i): str(t) for i, t in (data.get("columns") or {}).items()},
            labels={str(k): dict(v) for k, v in (data.get("labels") or {}).items()},
        )
        for name, allowed in POLICIES.items():
            if data.get(name) in allowed:
                setattr(plan, name, data[name])
        return plan

    def digest(self) -> str:
        """A short fingerprint: the preview a commissioner saw is the import they get."""
        text = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def mapping(self, layout: Layout) -> Mapping:
        """The plan as a reusable mapping keyed by header texts."""
        names = {c.index: c.name for c in layout.columns}
        return Mapping(
            columns={names[i]: t for i, t in sorted(self.columns.items()) if i in names},
            labels={item: dict(texts) for item, texts in self.labels.items() if texts},
        )


@dataclass
class Preview:
    """What an import would store, counted, and every problem that stops it."""

    layout: Layout
    plan: Plan
    rows: list[ParsedRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    problems: list[ImportProblem] = field(default_factory=list)
    unmatched: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    unmatched_columns: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    rows_of: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    targets: dict[str, tuple[Item, str | None]] = field(default_factory=dict)
    # '<id>.<part>' targets of composite items: (item, part)
    parts: dict[str, tuple[Item, str]] = field(default_factory=dict)

    def lookup(self, item: Item) -> dict[str, str]:
        """Answer text (as people read it) → option code for one item, the plan's first."""
        if item.id not in self.lookups:
            self.lookups[item.id] = _option_lookup(item, self.plan.labels.get(item.id, {}))
        return self.lookups[item.id]

    @property
    def ready(self) -> bool:
        """True when the import can go ahead."""
        return not self.problems and bool(self.rows)


def preview_import(
    campaign: Campaign, instrument: Instrument, layout: Layout, plan: Plan
) -> Preview:
    """Every row checked against the plan; nothing is stored."""
    preview = Preview(layout, plan)
    columns = _mapped_columns(instrument, layout, plan, campaign.is_360, preview)
    if preview.problems:
        return preview
    lookups = _lookups(campaign, instrument) if campaign.is_360 else ({}, {})
    for record in layout.records:
        preview.counts["records"] += 1
        if record.test:
            preview.counts["tests"] += 1
            preview.rows_of["tests"].append(record.row)
        elif not record.complete and plan.incomplete == "skip":
            preview.counts["incomplete"] += 1
            preview.rows_of["incomplete"].append(record.row)
        else:
            _add_record(preview, instrument, columns, lookups, record)
    preview.counts["imported"] = len(preview.rows)
    _report_unmatched(preview, instrument, columns)
    if not preview.rows and not preview.problems:
        preview.problems.append(
            ImportProblem(None, "", "No row would be imported: check which rows are skipped below.")
        )
    return preview


def _mapped_columns(instrument, layout, plan, is_360, preview) -> list[tuple[Column, str]]:
    by_index = {c.index: c for c in layout.columns}
    item_ids = {item.id for item in instrument.items}
    parts = part_targets(instrument)
    mapped: list[tuple[Column, str]] = []
    single: dict[str, str] = {}  # target → the letter of the column that fills it
    for index, target in sorted(plan.columns.items()):
        column = by_index.get(index)
        item_id, code = split_target(target)
        problem = ""
        if column is None:
            problem = "the file has no such column"
        elif column.role != QUESTION:
            problem = f"is {column.role} data and is never imported"
        elif target in (SUBJECT, RELATIONSHIP) and not is_360:
            problem = "only 360 campaigns take this column"
        elif target in parts:
            pass
        elif item_id in item_ids and type_of(instrument.item(item_id)).composite:
            problem = f"'{target}' has a column per part: map columns to '{target}.<part>'"
        elif target not in (SUBJECT, RELATIONSHIP) and (
            item_id not in item_ids
            or (code is not None and not _has_option(instrument.item(item_id), code))
        ):
            problem = f"'{target}' is not a question of this instrument"
        elif target in single and (
            code is not None
            or target in (SUBJECT, RELATIONSHIP)
            or not type_of(instrument.item(item_id)).multiple
        ):
            problem = f"a second column for '{target}' (the first is {single[target]})"
        if problem or column is None:
            where = column.describe() if column else f"number {index + 1}"
            preview.problems.append(ImportProblem(None, where, problem))
            continue
        single[target] = column.letter
        mapped.append((column, target))
        if target in parts:
            part_item, suffix = parts[target]
            preview.parts[target] = (instrument.item(part_item), suffix)
        elif target not in (SUBJECT, RELATIONSHIP):
            preview.targets[target] = (instrument.item(item_id), code)
    targets = {t for _, t in mapped}
    if is_360:
        preview.problems += [
            ImportProblem(None, "", f"Choose the column that holds the {what}.")
            for needed, what in (
                (SUBJECT, "participant (email or id)"),
                (RELATIONSHIP, "rater's relationship"),
            )
            if needed not in targets
        ]
    if not targets - {SUBJECT, RELATIONSHIP}:
        preview.problems.append(
            ImportProblem(None, "", "Choose at least one column that answers a question.")
        )
    return mapped


def _has_option(item: Item, code: str) -> bool:
    return type_of(item).multiple and code in {o.code for o in item.options}


def _add_record(preview, instrument, columns, lookups, record: Record) -> None:
    participant_id = relationship = None
    answers: dict[str, list[str]] = {}
    problems, long = [], False
    composite: dict[str, dict[str, tuple[str, Column]]] = defaultdict(dict)
    for column, target in columns:
        cell = preview.layout.cell(record, column)
        if target in preview.parts:
            item, suffix = preview.parts[target]
            composite[item.id][suffix] = (cell, column)
        elif target == SUBJECT:
            participant_id = lookups[0].get(norm(cell))
            if participant_id is None:
                problems.append(
                    ImportProblem(
                        record.row,
                        column.describe(),
                        f"'{cell}' is not a participant of this campaign (use an email or id)",
                    )
                )
        elif target == RELATIONSHIP:
            relationship = lookups[1].get(norm(cell))
            if relationship is None:
                known = ", ".join(str(r["id"]) for r in instrument.relationships)
                problems.append(
                    ImportProblem(
                        record.row,
                        column.describe(),
                        f"'{cell}' is not a relationship; use one of {known}",
                    )
                )
        else:
            long |= _add_answer(
                preview, instrument, answers, column, target, cell, record, problems
            )
    for item_id, cells in composite.items():
        problems += _composite_answer(instrument.item(item_id), cells, answers, record)
    if relationship is not None:
        problems += _audience_problems(instrument, answers, relationship, record)
    preview.problems += problems
    if problems:
        return
    if long:
        preview.counts["long"] += 1
        preview.rows_of["long"].append(record.row)
    if not answers:
        preview.counts["blank"] += 1
        preview.rows_of["blank"].append(record.row)
        if preview.plan.blank == "skip":
            return
    if not record.complete:
        preview.counts["incomplete_kept"] += 1
    preview.rows.append((participant_id, relationship, answers))


def _add_answer(preview, instrument, answers, column, target, cell, record, problems) -> bool:
    """Parse one cell into `answers`; True when it was longer than its question allows."""
    item, code = preview.targets[target]
    try:
        if code is not None:
            values = [code] if _chosen(cell, item, code) else []
        elif type_of(item).is_free_text:
            values, long = _text_values(item, cell, preview.plan.long)
            if values or long:
                answers.setdefault(item.id, []).extend(values)
            return long
        elif type_of(item).numeric:
            values = QUESTION_TYPES[item.type].parse_text(item, cell)
        else:
            values = choice_values(item, cell, lookup=preview.lookup(item))
    except UnknownAnswer as unknown:
        preview.unmatched[item.id][unknown.text].append(record.row)
        preview.unmatched_columns[item.id].add(column.index)
        return False
    except ValueError as reason:
        problems.append(ImportProblem(record.row, column.describe(), str(reason)))
        return False
    if values:
        merged = answers.setdefault(item.id, [])
        merged += [v for v in values if v not in merged]
    return False


def _composite_answer(
    item: Item, cells: dict[str, tuple[str, Column]], answers, record: Record
) -> list[ImportProblem]:
    """A composite item's values from its columns; a bad cell is located at its own column."""
    qtype = composite_type(item)
    try:
        values = qtype.parse_cells(item, {suffix: cell for suffix, (cell, _) in cells.items()})
    except ValueError as reason:
        # Which column: the first that fails on its own (else the item's first column).
        where = next(
            (
                column
                for suffix, (cell, column) in cells.items()
                if _fails(qtype, item, suffix, cell)
            ),
            next(iter(cells.values()))[1],
        )
        return [ImportProblem(record.row, where.describe(), f"'{item.id}': {reason}")]
    if values:
        answers[item.id] = values
    return []


def _fails(qtype, item: Item, suffix: str, cell: str) -> bool:
    try:
        qtype.parse_cells(item, {suffix: cell})
    except ValueError:
        return True
    return False


def _chosen(cell: str, item: Item, code: str) -> bool:
    label = next(o.label for o in item.options if o.code == code)
    if norm(cell) in CHOSEN or norm(cell) in (norm(label), norm(code)):
        return True
    if norm(cell) in NOT_CHOSEN:
        return False
    raise ValueError(
        f"'{cell}' does not say whether '{label}' was chosen (use Y or N, Yes or "
        "No, 1 or 0, or the option's label)"
    )


def _text_values(item: Item, cell: str, policy: str) -> tuple[list[str], bool]:
    text_type = QUESTION_TYPES[item.type]
    if not isinstance(text_type, ShortText):  # short and long text come here, nothing else
        raise TypeError(f"'{item.id}' is not a free-text question")
    limit = text_type.limit(item)
    text = cell.strip()
    if len(text) <= limit:
        return ([text] if text else []), False
    if policy == "truncate":
        return [text[:limit].rstrip()], True
    return ([text] if policy == "keep" else []), True


def _option_lookup(item: Item, labels: dict[str, str]) -> dict[str, str]:
    lookup = {norm(label): code for code, label in QUESTION_TYPES[item.type].choices(item)}
    lookup.update({norm(code): code for code, _ in QUESTION_TYPES[item.type].choices(item)})
    lookup.update(labels)
    return lookup


def choice_values(
    item: Item,
    cell: str,
    labels: dict[str, str] | None = None,
    lookup: dict[str, str] | None = None,
) -> list[str]:
    """The option codes a cell names, using the commissioner's translations of answer texts."""
    lookup = lookup if lookup is not None else _option_lookup(item, labels or {})
    key = norm(cell)
    if not key:
        return []
    if key in lookup:  # the common case: one whole answer, as an option or a translation
        return [lookup[key]] if lookup[key] else []
    text = " ".join(unicodedata.normalize("NFKC", cell).split())
    if type_of(item).multiple:
        return _split_choices(text, lookup)
    try:
        return QUESTION_TYPES[item.type].parse_text(item, text)
    except ValueError as reason:
        raise UnknownAnswer(text, str(reason)) from None


def _split_choices(text: str, lookup: dict[str, str]) -> list[str]:
    # Labels may hold commas ("Berkshire, Buckinghamshire and Oxfordshire"), so the longest
    # known answer at each point wins before any separator splits the text.
    keys = sorted((k for k in lookup if k), key=len, reverse=True)
    codes, rest = [], text
    while rest := rest.lstrip(SEPARATORS + " "):
        folded = rest.casefold()
        found = next(
            (
                k
                for k in keys
                if folded.startswith(k)
                and (len(folded) == len(k) or folded[len(k) :].lstrip()[:1] in ("", *SEPARATORS))
            ),
            None,
        )
        if found is None:
            part = rest
            for separator in SEPARATORS:
                part = part.split(separator)[0]
            raise UnknownAnswer(part.strip(), f"'{part.strip()}' is not one of the options")
        if lookup[found] and lookup[found] not in codes:
            codes.append(lookup[found])
        rest = rest[len(found) :]
    return codes


def _audience_problems(instrument, answers, relationship, record) -> list[ImportProblem]:
    audience = "self" if relationship == "self" else "rater"
    asked = "the participant" if audience == "self" else "raters"
    return [
        ImportProblem(record.row, item_id, f"'{item_id}' is not asked of {asked}")
        for item_id in answers
        if audience not in instrument.item(item_id).audience
    ]


def _report_unmatched(preview, instrument, columns) -> None:
    letters = {c.index: c.describe() for c, _ in columns}
    for item_id, texts in preview.unmatched.items():
        item = instrument.item(item_id)
        where = ", ".join(letters[i] for i in sorted(preview.unmatched_columns[item_id]))
        choices = QUESTION_TYPES[item.type].choices(item)
        for text, rows in texts.items():
            near = nearest_label(text, choices)
            hint = f"; nearest option: '{dict(choices)[near]}'" if near else ""
            more = f" (also rows {_rows(rows[1:])})" if len(rows) > 1 else ""
            preview.problems.append(
                ImportProblem(
                    rows[0],
                    where,
                    f"'{text}' is not one of the "
                    f"options of '{item_id}'{hint}: choose what it "
                    f"means{more}",
                )
            )


def _rows(rows: list[int], most: int = 8) -> str:
    shown = ", ".join(map(str, rows[:most]))
    return shown + (f" and {len(rows) - most} more" if len(rows) > most else "")


def unmatched_answers(preview: Preview) -> list[tuple[str, str, int]]:
    """(item id, answer text, how many rows) still waiting for the commissioner's translation."""
    return [
        (item_id, text, len(rows))
        for item_id, texts in preview.unmatched.items()
        for text, rows in texts.items()
    ]


def _lookups(campaign: Campaign, instrument: Instrument):
    participants = {}
    for participant in db.session.scalars(
        select(Participant).where(Participant.campaign_id == campaign.id)
    ):
        participants[norm(participant.id)] = participant.id
        if participant.email:
            participants[norm(participant.email)] = participant.id
    relationships = {}
    for relationship in instrument.relationships:
        relationships[norm(relationship["id"])] = relationship["id"]
        relationships[norm(relationship.get("label", relationship["id"]))] = relationship["id"]
    return participants, relationships
