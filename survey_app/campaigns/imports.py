"""Importing participants from CSV or XLSX (all or nothing), and the problems every import reports.

Problems are located as a person sees the file in a spreadsheet: the row number there (a cell
holding a line break is still one row) and the column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from sqlalchemy import select

from instruments.problems import ECHO_LIMIT, clip

from ..auth.services import AccountError, normalise_email
from ..extensions import db
from ..models import Campaign, Participant
from ..people.services import ParticipantLink, add_participant
from .csvfiles import CsvFileError, Grid, read_grid, write_csv
from .import_formats import column_letter
from .services import campaign_settings

PARTICIPANT_COLUMNS = ("name", "email", "organisation", "current_role", "aspired_role")
REQUIRED_PARTICIPANT_COLUMNS = ("name", "email")
COLUMN_ALIASES = {
    "organization": "organisation",
    "role": "current_role",
    "aspiring_role": "aspired_role",
    "email_address": "email",
    "e_mail": "email",
    "e_mail_address": "email",
    "full_name": "name",
    "participant": "name",
    "participant_name": "name",
    "job_title": "current_role",
    "post_title": "current_role",
    "current_post": "current_role",
    "role_they_aspire_to": "aspired_role",
    "aspired_to_role": "aspired_role",
    "aspiration": "aspired_role",
    "target_role": "aspired_role",
    "council": "organisation",
    "local_authority": "organisation",
}
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an upload, located by spreadsheet row and column."""

    row: int | None
    column: str
    message: str

    def __post_init__(self):
        # Uploads are quoted in messages; a huge value must not make a huge page.
        object.__setattr__(self, "column", clip(self.column))
        object.__setattr__(self, "message", clip(self.message, 2 * ECHO_LIMIT))

    def describe(self) -> str:
        """ "Row 4, column C 'email': ..." for people."""
        where = [
            f"Row {self.row}" if self.row else "",
            f"column {self.column}" if self.column else "",
        ]
        place = ", ".join(w for w in where if w)
        return f"{place}: {self.message}" if place else self.message


class ImportRefused(ValueError):
    """Nothing was imported; `problems` says why, row by row."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            self.problems.append(
                ImportProblem(
                    None, "", f"and {len(problems) - MAX_PROBLEMS} more problems like these"
                )
            )


@dataclass
class ParticipantsAdded:
    """The participants added (their links exist only here) and warnings about the file."""

    links: list[ParticipantLink] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_upload(data: bytes, filename: str = "") -> Grid:
    """The rows of an uploaded CSV, TSV or XLSX file, or ImportRefused saying why not."""
    try:
        return read_grid(data, filename)
    except CsvFileError as error:
        raise ImportRefused([ImportProblem(None, "", str(error))]) from None


def column_key(header: str) -> str:
    """A participant-file header as a column name: case, spaces and punctuation ignored."""
    key = "_".join(
        header.replace("\u00a0", " ")
        .strip()
        .lower()
        .replace("-", " ")
        .replace("(", " ")
        .replace(")", " ")
        .split()
    )
    return COLUMN_ALIASES.get(key, key)


def import_participants(campaign: Campaign, data: bytes, filename: str = "") -> ParticipantsAdded:
    """Add every participant in a CSV or XLSX file, or none with every problem listed."""
    if not campaign.is_360:
        raise ImportRefused([ImportProblem(None, "", "Only 360 campaigns have participants.")])
    grid = read_upload(data, filename)
    header = [h.strip() for h in grid.rows[0]]
    keys: dict[str, int] = {}
    result = ParticipantsAdded()
    for index, name in enumerate(header):
        key = column_key(name)
        if key in PARTICIPANT_COLUMNS and key not in keys:
            keys[key] = index
        elif name:
            result.warnings.append(
                f"Column {column_letter(index)} '{name}' was ignored: it is "
                f"not one of {', '.join(PARTICIPANT_COLUMNS)}."
            )
    problems = [
        ImportProblem(grid.numbers[0], f"'{c}'", "required column is missing")
        for c in REQUIRED_PARTICIPANT_COLUMNS
        if c not in keys
    ]
    if len(grid.rows) < 2:
        problems.append(ImportProblem(None, "", "The file has a header but no participants."))
    if problems:
        raise ImportRefused(problems)
    existing = set(
        db.session.scalars(
            select(Participant.email).where(
                Participant.campaign_id == campaign.id, Participant.email.is_not(None)
            )
        )
    )
    roles = role_lookup(campaign)
    where = {
        c: f"{column_letter(keys[c])} '{header[keys[c]]}'" if c in keys else f"'{c}'"
        for c in PARTICIPANT_COLUMNS
    }
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}  # email address → the row it first appeared on
    for number, cells in zip(grid.numbers[1:], grid.rows[1:], strict=True):
        row = {
            c: (cells[keys[c]].strip() if c in keys and keys[c] < len(cells) else "")
            for c in PARTICIPANT_COLUMNS
        }
        problems += [
            ImportProblem(number, where[c], message)
            for c, message in _participant_problems(number, row, roles, existing, seen)
        ]
        rows.append(row)
    if problems:
        raise ImportRefused(problems)
    result.links = [add_participant(campaign, **row) for row in rows]
    return result


def _participant_problems(line, row, roles, existing, seen) -> list[tuple[str, str]]:
    """(column, message) for each problem with one participant row."""
    problems = []
    if not row["name"]:
        problems.append(("name", "a name is needed"))
    if len(row["name"]) > 200:
        problems.append(("name", "names can be at most 200 characters"))
    try:
        row["email"] = normalise_email(row["email"]) if row["email"] else ""
    except AccountError:
        problems.append(("email", f"'{row['email']}' is not a valid email address"))
    if not row["email"]:
        problems.append(("email", "an email address is needed"))
    elif row["email"] in existing:
        problems.append(("email", f"{row['email']} is already a participant"))
    elif row["email"] in seen:
        problems.append(("email", f"{row['email']} is also on row {seen[row['email']]}"))
    else:
        seen[row["email"]] = line
    if row["aspired_role"]:
        role = roles[0].get(_role_key(row["aspired_role"]))
        if role is None:
            problems.append(
                ("aspired_role", f"'{row['aspired_role']}' is not a role; use one of: {roles[1]}")
            )
        else:
            row["aspired_role"] = role
    problems += [
        (column, "at most 200 characters")
        for column in ("organisation", "current_role")
        if len(row[column]) > 200
    ]
    return problems


def _role_key(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("_", " ").casefold().split())


def role_lookup(campaign: Campaign) -> tuple[dict[str, str], str]:
    """Every way of writing a role (key or label, with or without its tier) → role key, and
    the roles as people read them."""
    lookup: dict[str, str] = {}
    known: list[str] = []
    for role in campaign_settings(campaign).get("roles") or []:
        label = str(role.get("label", role["id"]))
        known.append(f"{label} ({role['id']})")
        for text in (role["id"], label, label.split("(")[0]):
            lookup.setdefault(_role_key(text), role["id"])
    return lookup, "; ".join(known)


def participant_template(campaign: Campaign, fmt: str = "csv") -> bytes:
    """An empty participants file to fill in: the header, and the roles to choose from."""
    roles = [str(r.get("label", r["id"])) for r in campaign_settings(campaign).get("roles") or []]
    if fmt == "csv":
        return write_csv(list(PARTICIPANT_COLUMNS), [], excel=True).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.worksheets[0]  # its one sheet, the active one
    sheet.title = "Participants"
    sheet.append(list(PARTICIPANT_COLUMNS))
    if roles:
        from openpyxl.worksheet.datavalidation import DataValidation

        lists = workbook.create_sheet("Roles")
        lists.append(["Roles for aspired_role (the label or the key both work)"])
        for role in roles:
            lists.append([role])
        check = DataValidation(
            type="list",
            formula1=f"=Roles!$A$2:$A${len(roles) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        sheet.add_data_validation(check)
        check.add("E2:E1000")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
