"""Matching an upload's columns to questions and its answer texts to options.

A mapping says which question each column answers (`columns`: header text → target) and how the
file's answer texts translate to the instrument's options (`labels`: item id → answer text →
option code, "" meaning "no answer"). A target is an item id, `item[code]` for a column that
says yes or no to one option of a multiple-choice question (LimeSurvey, SurveyMonkey), or, in a
360, `subject` and `relationship`. Mappings are compared the way people read headers: case,
spacing and non-breaking spaces do not matter. Commissioners save mappings and reuse them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import yaml
from sqlalchemy import select

from instruments import Instrument, InstrumentError, type_of
from instruments.composite_types import CompositeType, composite_type
from instruments.yaml_text import parse_yaml

from ..extensions import db
from ..models import ImportMapping
from .csvfiles import CsvFileError, decode_upload
from .import_formats import QUESTION, Column, Layout, norm

SUBJECT, RELATIONSHIP = "subject", "relationship"
OPTION_TARGET = re.compile(r"^(?P<item>[^\[\]]+)\[(?P<code>[^\[\]]+)\]$")
SUGGEST_AT = 0.55


class MappingError(ValueError):
    """A mapping file or saved mapping that cannot be used, with the reason."""


@dataclass
class Mapping:
    """Columns to questions and answer texts to options, as saved and reused."""

    columns: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_yaml(self) -> str:
        """The mapping as a YAML document people can edit and pass back with --mapping."""
        return yaml.safe_dump(
            {"columns": self.columns, "labels": self.labels},
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )

    def target_for(self, column: Column) -> str | None:
        """The saved target of a column, matched on any of its header texts."""
        wanted = {norm(n) for n in column.names}
        for header, target in self.columns.items():
            if norm(header) in wanted:
                return target
        return None


def part_targets(instrument: Instrument) -> dict[str, tuple[str, str]]:
    """Target '<id>.<part>' -> (item id, part) for every part of every composite item."""
    found = {}
    for item in instrument.items:
        qtype = type_of(item)
        if isinstance(qtype, CompositeType):
            for suffix in qtype.import_suffixes(item):
                found[f"{item.id}.{suffix}"] = (item.id, suffix)
    return found


def split_target(target: str) -> tuple[str, str | None]:
    """(item id, option code or None) of a target."""
    match = OPTION_TARGET.match(target)
    return (match["item"], match["code"]) if match else (target, None)


def target_choices(instrument: Instrument, is_360: bool) -> list[tuple[str, str]]:
    """Every target a column may have, with the words shown for it."""
    choices = (
        [(SUBJECT, "The participant (email or id)"), (RELATIONSHIP, "The rater's relationship")]
        if is_360
        else []
    )
    parts = part_targets(instrument)
    for item in instrument.items:
        if type_of(item).composite:
            choices += [
                (target, f"{target}: {_short(composite_type(item).column_label(item, suffix))}")
                for target, (item_id, suffix) in parts.items()
                if item_id == item.id
            ]
            continue
        choices.append((item.id, f"{item.id}: {_short(item.prompt)}"))
        if type_of(item).multiple:
            choices += [
                (
                    f"{item.id}[{o.code}]",
                    f"{item.id}: {_short(item.prompt)} – chose '{_short(o.label, 40)}'",
                )
                for o in item.options
            ]
    return choices


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.replace("{name}", "them").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _texts(instrument: Instrument, is_360: bool) -> list[tuple[str, str]]:
    """(target, normalised text it may be called by), most specific first."""
    texts = (
        [
            (SUBJECT, SUBJECT),
            (RELATIONSHIP, RELATIONSHIP),
            (SUBJECT, "participant_id"),
            (SUBJECT, "participant"),
            (SUBJECT, "participant email"),
        ]
        if is_360
        else []
    )
    # A composite item's parts are columns named as our export names them: '<id>.<part>'.
    texts += [(target, norm(target)) for target in part_targets(instrument)]
    for item in instrument.items:
        prompts = _prompts(item)  # Qualtrics adds " - Selected Choice" to a choice's header
        texts += [(item.id, p) for p in prompts] + [
            (item.id, f"{p} - selected choice") for p in prompts
        ]
        for option in item.options if type_of(item).multiple else ():
            for prompt in prompts:
                for label in {norm(option.label), norm(option.code)}:
                    texts += [
                        (f"{item.id}[{option.code}]", f"{prompt} [{label}]"),
                        (f"{item.id}[{option.code}]", f"{prompt} - {label}"),
                    ]
    return texts


def automatic_targets(
    layout: Layout, instrument: Instrument, is_360: bool, saved: Mapping | None = None
) -> dict[int, str]:
    """Column index → target for columns a saved mapping names or whose header says it."""
    texts: dict[str, str] = {}
    for known, text in _texts(instrument, is_360):
        texts.setdefault(text, known)
    found: dict[int, str] = {}
    for column in layout.columns:
        if column.role != QUESTION:
            continue
        target = saved.target_for(column) if saved else None
        for name in column.names:
            target = target or texts.get(norm(name)) or texts.get(_sub_part(name))
        if target and target not in found.values():
            found[column.index] = target
    return found


def _sub_part(name: str) -> str:
    """The row of a grid question in a combined header ("Rate yourself - Leadership skills")."""
    return norm(name.rsplit(" - ", 1)[1]) if " - " in name else ""


def suggestions(
    column: Column, instrument: Instrument, is_360: bool, limit: int = 3
) -> list[tuple[str, float]]:
    """The nearest targets to a column's header, best first, with a 0–1 likeness.

    A header with a part after " - " or in brackets ("Reasons - Pay", "Reasons [Pay]") is
    compared part by part with a question and one of its options: a long shared question text
    must not make "Reasons - Other" look like "Reasons - Pay".
    """
    best: dict[str, float] = {}
    whole = {norm(n) for n in column.names}
    parts = [p for p in (_parts(n) for n in column.names) if p]
    for item in instrument.items:
        prompts = _prompts(item)
        for wanted in whole | {sub for _, sub in parts}:
            _keep(best, item.id, max(_likeness(wanted, p) for p in prompts))
        for option in item.options if type_of(item).multiple else ():
            for question, sub in parts:
                score = min(
                    max(_likeness(question, p) for p in prompts),
                    max(_likeness(sub, norm(t)) for t in (option.label, option.code)),
                )
                _keep(best, f"{item.id}[{option.code}]", score)
    if is_360:
        for wanted in whole:
            _keep(best, SUBJECT, max(_likeness(wanted, t) for t in ("subject", "participant")))
            _keep(best, RELATIONSHIP, _likeness(wanted, "relationship"))
    return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def _prompts(item) -> set[str]:
    return {norm(item.id)} | {
        norm(p.replace("{name}", "")) for p in (item.prompt, item.self_prompt) if p
    }


def _parts(name: str) -> tuple[str, str] | None:
    if name.endswith("]") and "[" in name:
        question, sub = name[:-1].rsplit("[", 1)
        return norm(question), norm(sub)
    if " - " in name:
        question, sub = name.rsplit(" - ", 1)
        return norm(question), norm(sub)
    return None


def _likeness(wanted: str, text: str) -> float:
    matcher = SequenceMatcher(None, wanted, text)
    if matcher.real_quick_ratio() < SUGGEST_AT or matcher.quick_ratio() < SUGGEST_AT:
        return 0.0  # the cheap upper bounds rule most texts out before the real ratio
    return matcher.ratio()


def _keep(best: dict[str, float], target: str, score: float) -> None:
    if score >= SUGGEST_AT and score > best.get(target, 0):
        best[target] = round(score, 2)


def nearest_label(text: str, labels: list[tuple[str, str]]) -> str | None:
    """The option (code) whose label reads most like `text`, if any is close."""
    scored = [
        (SequenceMatcher(None, norm(text), norm(label)).ratio(), code) for code, label in labels
    ]
    scored = [s for s in scored if s[0] >= SUGGEST_AT]
    return max(scored)[1] if scored else None


def read_mapping(data: bytes, filename: str) -> Mapping:
    """A mapping from a YAML file (columns/labels, or header: target) or a two-column CSV."""
    try:
        text, _ = decode_upload(data)
    except CsvFileError as error:
        raise MappingError(f"Mapping file: {error}") from None
    if filename.lower().endswith((".yaml", ".yml")):
        return _mapping_from_yaml(text)
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if rows and [norm(c) for c in rows[0][:2]] in (
        ["column", "item_id"],
        ["column", "item"],
        ["column", "target"],
    ):
        rows = rows[1:]
    bad = [n for n, r in enumerate(rows, 1) if len(r) < 2 or not r[1].strip()]
    if bad:
        raise MappingError(
            "Mapping file rows " + ", ".join(map(str, bad)) + " need a column "
            "header and a question id."
        )
    return Mapping(columns={r[0].strip(): r[1].strip() for r in rows})


def _mapping_from_yaml(text: str) -> Mapping:
    try:
        loaded = parse_yaml(text, "mapping")  # no aliases or deep nesting (issue 22)
    except InstrumentError as error:
        raise MappingError(
            "; ".join(f"Mapping file, {p.location}: {p.message} ({p.hint})" for p in error.problems)
        ) from None
    if not isinstance(loaded, dict):
        raise MappingError("The YAML mapping must map column headers to question ids.")
    if set(loaded) <= {"columns", "labels"}:
        columns, labels = loaded.get("columns") or {}, loaded.get("labels") or {}
    else:
        columns, labels = loaded, {}
    if (
        not isinstance(columns, dict)
        or not isinstance(labels, dict)
        or not all(isinstance(v, dict) for v in labels.values())
    ):
        raise MappingError(
            "In the YAML mapping, 'columns' maps headers to question ids and "
            "'labels' maps each question id to answer texts and option codes."
        )
    return Mapping(
        columns={str(k).strip(): str(v).strip() for k, v in columns.items() if v not in (None, "")},
        labels={
            str(item): {norm(str(k)): str(v).strip() for k, v in texts.items() if v is not None}
            for item, texts in labels.items()
        },
    )


def saved_mappings(owner_id: int, instrument_key: str) -> list[ImportMapping]:
    """The commissioner's saved mappings for an instrument, by name."""
    return list(
        db.session.scalars(
            select(ImportMapping)
            .where(
                ImportMapping.owner_id == owner_id, ImportMapping.instrument_key == instrument_key
            )
            .order_by(ImportMapping.name)
        )
    )


def saved_mapping(owner_id: int, instrument_key: str, name: str) -> Mapping | None:
    """A saved mapping by name, or None."""
    found = db.session.scalar(
        select(ImportMapping).where(
            ImportMapping.owner_id == owner_id,
            ImportMapping.instrument_key == instrument_key,
            ImportMapping.name == name.strip(),
        )
    )
    return (
        Mapping(dict(found.columns), {k: dict(v) for k, v in found.labels.items()})
        if found
        else None
    )


def save_mapping(owner_id: int, instrument_key: str, name: str, mapping: Mapping) -> None:
    """Save (or replace) a named mapping for reuse; flushes."""
    name = " ".join(name.split())[:100]
    found = db.session.scalar(
        select(ImportMapping).where(
            ImportMapping.owner_id == owner_id,
            ImportMapping.instrument_key == instrument_key,
            ImportMapping.name == name,
        )
    )
    if found is None:
        found = ImportMapping(owner_id=owner_id, instrument_key=instrument_key, name=name)
        db.session.add(found)
    found.columns, found.labels = dict(mapping.columns), dict(mapping.labels)
    db.session.flush()
