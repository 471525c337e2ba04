"""Level 4: appointments and promotions, recorded one by one or from a quarterly return (CSV).

The quarterly return (seed 001_* §14) is read strictly: every problem is reported with its line
and column, and nothing is saved unless the whole file is right.
"""

from __future__ import annotations

import difflib
from datetime import date

from ..campaigns.csvfiles import CsvFileError, read_table
from ..campaigns.imports import ImportProblem, ImportRefused
from ..extensions import db
from ..models import Campaign, Participant
from .models import OUTCOME_KINDS, OUTCOME_LABELS, Outcome

RETURN_COLUMNS = ("email", "outcome", "new_role", "effective_on")
REQUIRED_COLUMNS = ("email", "outcome")


class OutcomeError(ValueError):
    """An outcome that cannot be recorded, with a message."""


def record_outcome(
    participant: Participant,
    kind: str,
    new_role: str | None,
    effective_on: date | None,
    source: str = "commissioner",
) -> Outcome:
    """Record one appointment or promotion (flushes)."""
    if kind not in OUTCOME_LABELS:
        raise OutcomeError("Choose what happened")
    outcome = Outcome(
        participant_id=participant.id,
        kind=kind,
        new_role=" ".join((new_role or "").split())[:200],
        effective_on=effective_on,
        source=source,
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome


def import_return(cohort: Campaign, data: bytes) -> int:
    """Record every row of a quarterly return (email, outcome, new_role, effective_on)."""
    try:
        header, records = read_table(data)
    except CsvFileError as error:
        raise ImportRefused([ImportProblem(None, "", str(error))]) from None
    keys = {h.strip().lower().replace(" ", "_"): h for h in header}
    problems = [
        ImportProblem(1, h, f"unknown column; use {', '.join(RETURN_COLUMNS)}")
        for key, h in keys.items()
        if key not in RETURN_COLUMNS
    ]
    problems += [
        ImportProblem(1, c, "required column is missing") for c in REQUIRED_COLUMNS if c not in keys
    ]
    if not records:
        problems.append(ImportProblem(None, "", "The file has a header but no rows."))
    if problems:
        raise ImportRefused(problems)
    people = {(p.email or "").lower(): p for p in cohort.participants if p.email}
    rows = []
    for line, record in records:
        row = {c: record.get(keys[c], "").strip() if c in keys else "" for c in RETURN_COLUMNS}
        row_problems, parsed = _row(line, row, people)
        problems += row_problems
        rows.append(parsed)
    if problems:
        raise ImportRefused(problems)
    for participant, kind, role, effective_on in rows:
        record_outcome(participant, kind, role, effective_on, source="quarterly_return")
    return len(rows)


def _row(line: int, row: dict[str, str], people: dict[str, Participant]):
    problems = []
    participant = people.get(row["email"].lower())
    if participant is None:
        problems.append(
            ImportProblem(line, "email", f"'{row['email']}' is not a participant of this cohort")
        )
    kind = row["outcome"].lower().replace(" ", "_").replace("-", "_")
    if kind not in OUTCOME_LABELS:
        match = difflib.get_close_matches(kind, list(OUTCOME_LABELS), n=1)
        hint = f"; did you mean '{match[0]}'?" if match else ""
        problems.append(
            ImportProblem(
                line,
                "outcome",
                f"'{row['outcome']}' is not one of {', '.join(k for k, _ in OUTCOME_KINDS)}{hint}",
            )
        )
    effective_on = None
    if row["effective_on"]:
        try:
            effective_on = date.fromisoformat(row["effective_on"])
        except ValueError:
            problems.append(
                ImportProblem(
                    line, "effective_on", f"'{row['effective_on']}' is not a date like 2026-09-01"
                )
            )
    if len(row["new_role"]) > 200:
        problems.append(ImportProblem(line, "new_role", "at most 200 characters"))
    return problems, (participant, kind, row["new_role"], effective_on)
