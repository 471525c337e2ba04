"""Importing participants and responses from CSV: check everything, then all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from instruments import InstrumentError
from instruments.problems import ECHO_LIMIT, clip
from instruments.yaml_text import parse_yaml

from ..auth.services import AccountError, normalise_email
from ..extensions import db
from ..models import Campaign, Participant
from ..people.services import Link, add_participant
from .csvfiles import CsvFileError, decode_upload, read_table
from .services import campaign_instrument, campaign_settings

PARTICIPANT_COLUMNS = ("name", "email", "organisation", "current_role", "aspired_role")
REQUIRED_PARTICIPANT_COLUMNS = ("name", "email")
COLUMN_ALIASES = {"organization": "organisation", "role": "current_role",
                  "aspiring_role": "aspired_role", "email_address": "email"}
SUBJECT, RELATIONSHIP = "subject", "relationship"
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an upload, located by line and column."""

    line: int | None
    column: str
    message: str

    def __post_init__(self):
        # Uploads are quoted in messages; a huge value must not make a huge page.
        object.__setattr__(self, "column", clip(self.column))
        object.__setattr__(self, "message", clip(self.message, 2 * ECHO_LIMIT))

    def describe(self) -> str:
        """'Line 4, column email: ...' for people."""
        where = [f"Line {self.line}" if self.line else "", f"column '{self.column}'"
                 if self.column else ""]
        place = ", ".join(w for w in where if w)
        return f"{place}: {self.message}" if place else self.message


class ImportRefused(ValueError):
    """Nothing was imported; `problems` says why, line by line."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            self.problems.append(ImportProblem(None, "", f"and {len(problems) - MAX_PROBLEMS} "
                                               "more problems like these"))


def _table(data: bytes):
    try:
        return read_table(data)
    except CsvFileError as error:
        raise ImportRefused([ImportProblem(None, "", str(error))]) from None


def _column_key(header: str) -> str:
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    return COLUMN_ALIASES.get(key, key)


def import_participants(campaign: Campaign, data: bytes) -> list[Link]:
    """Add every participant in a CSV (name, email, organisation, current role, aspired role)."""
    if campaign.kind != "360":
        raise ImportRefused([ImportProblem(None, "", "Only 360 campaigns have participants.")])
    header, records = _table(data)
    keys = {_column_key(h): h for h in header}
    problems = [ImportProblem(1, h, f"unknown column; use {', '.join(PARTICIPANT_COLUMNS)}")
                for h in header if _column_key(h) not in PARTICIPANT_COLUMNS]
    problems += [ImportProblem(1, c, "required column is missing")
                 for c in REQUIRED_PARTICIPANT_COLUMNS if c not in keys]
    if not records:
        problems.append(ImportProblem(None, "", "The file has a header but no participants."))
    if problems:
        raise ImportRefused(problems)
    existing = set(db.session.scalars(select(Participant.email).where(
        Participant.campaign_id == campaign.id, Participant.email.is_not(None))))
    roles = _role_lookup(campaign)
    rows, seen = [], {}
    for line, record in records:
        row = {c: record.get(keys[c], "").strip() if c in keys else "" for c in PARTICIPANT_COLUMNS}
        problems += _participant_problems(line, row, roles, existing, seen)
        rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return [add_participant(campaign, **row) for row in rows]


def _participant_problems(line, row, roles, existing, seen) -> list[ImportProblem]:
    problems = []
    if not row["name"]:
        problems.append(ImportProblem(line, "name", "a name is needed"))
    if len(row["name"]) > 200:
        problems.append(ImportProblem(line, "name", "names can be at most 200 characters"))
    try:
        row["email"] = normalise_email(row["email"]) if row["email"] else ""
    except AccountError:
        problems.append(ImportProblem(line, "email", f"'{row['email']}' is not a valid email "
                                      "address"))
    if not row["email"]:
        problems.append(ImportProblem(line, "email", "an email address is needed"))
    elif row["email"] in existing:
        problems.append(ImportProblem(line, "email", f"{row['email']} is already a participant"))
    elif row["email"] in seen:
        problems.append(ImportProblem(line, "email", f"{row['email']} is also on line "
                                      f"{seen[row['email']]}"))
    else:
        seen[row["email"]] = line
    if row["aspired_role"]:
        wanted = row["aspired_role"].casefold()
        if wanted not in roles:
            known = ", ".join(sorted(set(roles.values())))
            problems.append(ImportProblem(line, "aspired_role", f"'{row['aspired_role']}' is not "
                                          f"a role; use one of {known}"))
        else:
            row["aspired_role"] = roles[wanted]
    for column in ("organisation", "current_role"):
        if len(row[column]) > 200:
            problems.append(ImportProblem(line, column, "at most 200 characters"))
    return problems


def _role_lookup(campaign: Campaign) -> dict[str, str]:
    lookup = {}
    for role in campaign_settings(campaign).get("roles") or []:
        lookup[str(role["id"]).casefold()] = role["id"]
        lookup[str(role.get("label", role["id"])).casefold()] = role["id"]
    return lookup


def read_mapping(data: bytes, filename: str) -> dict[str, str]:
    """Column header → item id, from a two-column CSV or a YAML mapping."""
    try:
        text = decode_upload(data)
    except CsvFileError as error:
        raise ImportRefused([ImportProblem(None, "", f"Mapping file: {error}")]) from None
    if filename.lower().endswith((".yaml", ".yml")):
        try:
            loaded = parse_yaml(text, "mapping")
        except InstrumentError as error:
            raise ImportRefused([ImportProblem(None, "", f"Mapping file, {p.location}: "
                                               f"{p.message} ({p.hint})")
                                 for p in error.problems]) from None
        if not isinstance(loaded, dict):
            raise ImportRefused([ImportProblem(None, "", "The YAML mapping must map column "
                                               "headers to item ids.")])
        return {str(k).strip(): str(v).strip() for k, v in loaded.items() if v is not None}
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] in (["column", "item_id"],
                                                                ["column", "item"]):
        rows = rows[1:]
    bad = [n for n, r in enumerate(rows, 1) if len(r) < 2 or not r[1].strip()]
    if bad:
        raise ImportRefused([ImportProblem(n, "", "a mapping row needs a column header and an "
                                           "item id") for n in bad])
    return {r[0].strip(): r[1].strip() for r in rows}


def import_responses(campaign: Campaign, data: bytes,
                     mapping: dict[str, str] | None = None) -> int:
    """Import responses collected elsewhere; returns how many were added."""
    from .response_rows import parse_response_rows

    header, records = _table(data)
    parsed = parse_response_rows(campaign, campaign_instrument(campaign), header, records,
                                 mapping)
    from ..mixing.services import write_imported

    try:
        return write_imported(campaign, parsed)
    except ValueError as refusal:
        raise ImportRefused([ImportProblem(None, "", str(refusal))]) from None


__all__ = ["ImportProblem", "ImportRefused", "import_participants",
           "import_responses", "read_mapping"]
