"""Checking imported response rows against the campaign's instrument snapshot."""

from __future__ import annotations

from sqlalchemy import select

from instruments import QUESTION_TYPES, Instrument

from ..extensions import db
from ..models import Campaign, Participant
from .imports import RELATIONSHIP, SUBJECT, ImportProblem, ImportRefused

ParsedRow = tuple[str | None, str | None, dict[str, list[str]]]


def _columns(instrument: Instrument, header: list[str], mapping: dict[str, str] | None,
             is_360: bool) -> tuple[dict[str, str], list[ImportProblem]]:
    """Header → target (item id, subject or relationship), and problems with the columns."""
    item_ids = {item.id for item in instrument.items}
    targets = set(item_ids) | ({SUBJECT, RELATIONSHIP} if is_360 else set())
    columns, problems = {}, []
    for name in header:
        target = mapping.get(name) if mapping is not None else name
        if target is None or target == "":
            continue  # with a mapping, unmapped columns are ignored on purpose
        if target not in targets:
            hint = ("not a question id of this instrument" if target not in (SUBJECT,
                    RELATIONSHIP) else "only 360 campaigns take this column")
            problems.append(ImportProblem(1, name, f"'{target}' is {hint}"))
        elif target in columns.values():
            problems.append(ImportProblem(1, name, f"a second column for '{target}'"))
        else:
            columns[name] = target
    if mapping is not None:
        problems += [ImportProblem(None, name, "the mapping names a column the file does not have")
                     for name in mapping if name not in header]
    if is_360:
        problems += [ImportProblem(1, needed, "required column is missing")
                     for needed in (SUBJECT, RELATIONSHIP) if needed not in columns.values()]
    if not any(t in item_ids for t in columns.values()):
        problems.append(ImportProblem(1, "", "no column is a question of this instrument"))
    return columns, problems


def _lookups(campaign: Campaign, instrument: Instrument):
    participants = {}
    for participant in db.session.scalars(select(Participant).where(
            Participant.campaign_id == campaign.id)):
        participants[participant.id] = participant.id
        if participant.email:
            participants[participant.email.casefold()] = participant.id
    relationships = {}
    for relationship in instrument.relationships:
        relationships[str(relationship["id"]).casefold()] = relationship["id"]
        relationships[str(relationship.get("label", "")).casefold()] = relationship["id"]
    return participants, relationships


def parse_response_rows(campaign: Campaign, instrument: Instrument, header: list[str],
                        records: list[tuple[int, dict[str, str]]],
                        mapping: dict[str, str] | None) -> list[ParsedRow]:
    """Every row as (participant id, relationship, answers); ImportRefused lists every problem."""
    columns, problems = _columns(instrument, header, mapping, campaign.kind == "360")
    if problems:
        raise ImportRefused(problems)
    if not records:
        raise ImportRefused([ImportProblem(None, "", "The file has a header but no responses.")])
    lookups = _lookups(campaign, instrument)
    parsed = []
    for line, record in records:
        row, row_problems = _parse_row(instrument, columns, lookups, line, record)
        parsed.append(row)
        problems += row_problems
    if problems:
        raise ImportRefused(problems)
    return parsed


def _parse_row(instrument, columns, lookups, line, record) -> tuple[ParsedRow, list]:
    participants, relationships = lookups
    participant_id = relationship = None
    problems, answers = [], {}
    for column, target in columns.items():
        cell = record.get(column, "").strip()
        if target == SUBJECT:
            participant_id = participants.get(cell.casefold())
            if participant_id is None:
                problems.append(ImportProblem(line, column, f"'{cell}' is not a participant "
                                              "of this campaign (use an email or id)"))
        elif target == RELATIONSHIP:
            relationship = relationships.get(cell.casefold())
            if relationship is None:
                known = ", ".join(str(r["id"]) for r in instrument.relationships)
                problems.append(ImportProblem(line, column, f"'{cell}' is not a relationship; "
                                              f"use one of {known}"))
    audience = {None: "respondent", "self": "self"}.get(relationship, "rater")
    for column, target in columns.items():
        if target in (SUBJECT, RELATIONSHIP):
            continue
        item = instrument.item(target)
        try:
            values = QUESTION_TYPES[item.type].parse_text(item, record.get(column, ""))
        except ValueError as reason:
            problems.append(ImportProblem(line, column, str(reason)))
            continue
        if values and audience != "respondent" and audience not in item.audience:
            asked = "the participant" if audience == "self" else "raters"
            problems.append(ImportProblem(line, column, f"'{item.id}' is not asked of {asked}"))
        elif values:
            answers[item.id] = values
    if not answers and not problems:
        problems.append(ImportProblem(line, "", "the row has no answers"))
    return (participant_id, relationship, answers), problems
