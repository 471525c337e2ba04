"""Recognising what other survey tools export: header rows, identifying columns, completion.

Learned from the tools' own export writers and documentation:
- SurveyMonkey (CSV/XLSX): two header rows. Row 1 holds Respondent ID, Collector ID, Start Date,
  End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1 and then question
  texts, blank over the second and later columns of one question; row 2 says "Response",
  "Open-Ended Response" or the option / sub-question of that column (row 2 alone still says
  SurveyMonkey when its own columns were deleted before the upload).
- Qualtrics (CSV, TSV in UTF-16, XLSX): row 1 column names (StartDate … ResponseId, Q1, Q2_1),
  row 2 the question texts (in the account's language), row 3 {"ImportId": …}; Finished, Progress
  and Status say which rows are whole, real responses; "-99" marks a question seen but not
  answered. Legacy exports: V1 … V10, Q1 … over the names, location columns last.
- Microsoft Forms (XLSX): ID, Start time, Completion time, Email, Name, Last modified time, then
  one column per question; multiple answers joined with ";".
- Google Forms (CSV/XLSX from Sheets): Timestamp, optionally Email Address and Score, then the
  questions; multiple answers joined with ", ".
- LimeSurvey (CSV, every cell quoted, often ";"-separated): id, submitdate, lastpage,
  startlanguage, seed, token, startdate, datestamp, ipaddr, refurl (or their full texts, such as
  "Date submitted", "code. text" headings, spaces as underscores); an empty submitdate is a
  response never submitted.
- Any tool: a question column asking for a name, email or phone number, or holding mostly email
  or IP addresses, identifies people (docs/imports.md lists the public sources).
- Our own export: response_id, source, day, code columns and "(label)" twins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from .csvfiles import is_formula_like

IDENTIFYING, METADATA, QUESTION = "identifying", "metadata", "question"
PREVIEW_STATUSES = {
    "1",
    "2",
    "8",
    "9",
    "12",
    "17",
    "survey preview",
    "survey test",
    "spam",
    "preview spam",
    "imported spam",
    "offline survey preview",
}


def norm(text: str) -> str:
    """Text compared the way people read it: case, spacing and non-breaking spaces ignored."""
    text = str(text)
    if text.isascii():  # most cells: the same result, several times faster
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    number, letters = index + 1, ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Tool:
    """What one survey tool's export looks like."""

    key: str
    name: str
    markers: frozenset[str]
    needed: int
    identifying: frozenset[str] = frozenset()
    metadata: frozenset[str] = frozenset()
    patterns: tuple[tuple[str, str], ...] = ()  # (regular expression, role), anywhere in row 1
    missing: frozenset[str] = frozenset()

    def role(self, name: str, leading: bool) -> str:
        """IDENTIFYING, METADATA or QUESTION for a column of this tool's export."""
        keys = header_keys(name)
        if leading and not keys.isdisjoint(self.identifying):
            return IDENTIFYING
        if leading and not keys.isdisjoint(self.metadata):
            return METADATA
        for pattern, role in self.patterns:
            if any(re.search(pattern, key) for key in keys):
                return role
        return QUESTION


# LimeSurvey's "Question code & question text" headings: "submitdate. Date submitted" (its
# codes start with a letter, so "1. Your role" stays one question text).
CODE_TEXT = re.compile(r"^([A-Za-z][\w\[\]#-]*)\.[\s_]+(\S.*)$")


def header_keys(name: str) -> frozenset[str]:
    """Every way a header may name a tool's column: as written, with underscores for spaces
    (LimeSurvey's "Convert spaces in question text to underscores") and, for a "code. text"
    heading, its code and its text."""
    text = str(name).strip()
    keys = {norm(text), norm(text.replace("_", " "))}
    match = CODE_TEXT.match(text)
    if match:
        keys |= {norm(match[1]), norm(match[2].replace("_", " "))}
    return frozenset(keys)


def _set(*names: str) -> frozenset[str]:
    return frozenset(norm(n) for n in names)


SURVEYMONKEY = Tool(
    "surveymonkey",
    "SurveyMonkey",
    _set("Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"),
    3,
    identifying=_set(
        "Respondent ID", "Collector ID", "IP Address", "Email Address", "First Name", "Last Name"
    ),
    metadata=_set("Start Date", "End Date"),
    patterns=(
        (r"^custom data \d+$", IDENTIFYING),
        (r"^custom variable", IDENTIFYING),
        (
            r" - (name|company|address( 2)?|city/town|state/province|zip/postal code|country"
            r"|email address|phone number)$",
            IDENTIFYING,
        ),
    ),
)
QUALTRICS = Tool(
    "qualtrics",
    "Qualtrics",
    _set(
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "ResponseID",
        "ResponseSet",
    ),
    4,
    identifying=_set(
        "IPAddress",
        "ResponseId",
        "ResponseID",
        "ResponseSet",
        "Name",
        "EmailAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
    ),
    metadata=_set(
        "StartDate",
        "EndDate",
        "Status",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "DistributionChannel",
        "UserLanguage",
    ),
    patterns=(
        (r"^q_", METADATA),
        # Legacy exports put the location columns last, after the questions.
        (r"^location ?(latitude|longitude|accuracy)$", IDENTIFYING),
        # Text iQ's analysis of an open answer ("Q2 - Topics"): Qualtrics', not theirs.
        (
            r" - (parent topics|topics|sentiment|sentiment polarity|sentiment score|"
            r"topic sentiment label|topic sentiment score)$",
            METADATA,
        ),
    ),
    missing=_set("-99"),
)
MS_FORMS = Tool(
    "ms_forms",
    "Microsoft Forms",
    _set("ID", "Start time", "Completion time", "Email", "Name", "Last modified time"),
    3,
    identifying=_set("ID", "Email", "Name"),
    metadata=_set(
        "Start time", "Completion time", "Last modified time", "Total points", "Quiz feedback"
    ),
    patterns=((r"^(points|feedback) - ", METADATA),),
)
GOOGLE_FORMS = Tool(
    # "Horodateur", "Score total", "[Commentaires]": a Forms account in French.
    "google_forms",
    "Google Forms",
    _set("Timestamp", "Horodateur"),
    1,
    identifying=_set("Email Address", "Username", "Adresse e-mail"),
    metadata=_set("Timestamp", "Horodateur", "Score", "Total score", "Score total"),
    # A quiz's marks for each question: "What is 2+2? [Score]", "What is 2+2? [Feedback]".
    patterns=((r" \[(score|feedback|commentaires)\]$", METADATA),),
)
LIMESURVEY = Tool(
    "limesurvey",
    "LimeSurvey",
    _set(
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "ipaddr",
        "refurl",
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Date started",
        "Date last action",
        "IP address",
        "Referrer URL",
    ),
    3,
    identifying=_set(
        "id",
        "Response ID",
        "ipaddr",
        "IP address",
        "refurl",
        "Referrer URL",
        "token",
        "Access code",
    ),
    metadata=_set(
        "seed",
        "submitdate",
        "Date submitted",
        "lastpage",
        "Last page",
        "startlanguage",
        "Start language",
        "startdate",
        "Date started",
        "datestamp",
        "Date last action",
    ),
    patterns=(
        (
            r"^(firstname|lastname|email|first name|last name|email address|"
            r"attribute_\d+)$",
            IDENTIFYING,
        ),
        (r"^(interviewtime|total time|grouptime\d+)$|^(question|group) time: ", METADATA),
    ),
)
OWN_EXPORT = Tool(
    "survey_app",
    "this platform's export",
    _set("response_id", "source", "day"),
    2,
    metadata=_set("response_id", "source", "day", "participant"),
    patterns=((r" \(label\)$", METADATA),),
)
TOOLS = (QUALTRICS, SURVEYMONKEY, LIMESURVEY, MS_FORMS, GOOGLE_FORMS, OWN_EXPORT)
WITHHELD = re.compile(r"\(fewer than \d+\)")
GENERIC_IDENTIFYING = _set(
    "ip", "first name", "last name", "surname", "full name", "respondent id", "user id", "username"
)
# Headers ending in a contact detail ("Rater email", "Your phone number"): never a question.
GENERIC_CONTACT = re.compile(
    r"(^|\b)(e-?mail( address)?|ip ?address|phone( number)?|telephone|"
    r"mobile( number)?|post ?code|(full|first|last|given|family) name)$"
)

CONTACT_VALUE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]{2,}|(\d{1,3}\.){3}\d{1,3}")


@dataclass
class Column:
    """One column of an upload: what a person sees as its header, and what it is."""

    index: int
    name: str
    label: str = ""
    role: str = QUESTION

    @property
    def letter(self) -> str:
        """The spreadsheet column letter (A, B, …, AA)."""
        return column_letter(self.index)

    @property
    def names(self) -> tuple[str, ...]:
        """Every header text this column goes by."""
        return tuple(n for n in (self.name, self.label) if n)

    def describe(self) -> str:
        """ "D 'How satisfied are you?'" for messages."""
        shown = self.name if not self.label else f"{self.name} – {self.label}"
        return f"{self.letter} '{shown}'"


@dataclass
class Record:
    """One data row: its spreadsheet row number, its cells, and whether it is a whole response."""

    row: int
    cells: list[str]
    complete: bool = True
    why: str = ""
    test: bool = False


@dataclass
class Layout:
    """An upload understood: which tool, which rows were headers, the columns and the records."""

    tool: Tool | None
    header_rows: list[int]
    columns: list[Column]
    records: list[Record] = field(default_factory=list)

    @property
    def tool_name(self) -> str:
        """The tool recognised, or a plain description."""
        return self.tool.name if self.tool else "a table with one header row"

    def dropped(self, role: str) -> list[Column]:
        """Columns of one role (IDENTIFYING or METADATA): never imported."""
        return [c for c in self.columns if c.role == role]

    def cell(self, record: Record, column: Column) -> str:
        """A record's cell in a column, blank for the tool's 'not answered' placeholders."""
        value = record.cells[column.index].strip() if column.index < len(record.cells) else ""
        if self.tool is OWN_EXPORT and value.startswith("'") and is_formula_like(value[1:]):
            return value[1:]  # our CSV export's apostrophe, which kept Excel from calculating
        if self.tool is OWN_EXPORT and WITHHELD.fullmatch(value):
            return ""  # an answer our export withheld (a group of fewer than k): not known
        return "" if self.tool and norm(value) in self.tool.missing else value


def recognise(
    rows: list[list[str]], numbers: list[int] | None = None, subjects: Collection[str] = ()
) -> Layout:
    """Which tool made these rows, its header rows, columns and records (with completion).

    `subjects` (a 360 campaign's participants' emails, lower case): a column whose values are
    mostly among them names the participant, who is matched by email and never stored as an
    answer, so it stays mappable. Any other column of contact details identifies people.
    """
    numbers = numbers or list(range(1, len(rows) + 1))
    if not rows:
        return Layout(None, [], [])
    tool = _tool_of(rows[0]) or _tool_of_row_two(rows)
    header_count = _header_count(tool, rows)
    # Cells past the end of the header still show in the preview, as unnamed columns.
    width = max(len(r) for r in rows)
    names, labels = _names(tool, [r + [""] * (width - len(r)) for r in rows[:header_count]])
    columns, leading, asking = [], tool is not None, set()
    for index, name in enumerate(names):
        # A tool's own columns come first: the same words later on are a question's.
        leading = leading and tool is not None and tool.role(name, True) != QUESTION
        role = tool.role(name, leading) if tool else _generic_role(name)
        if tool is LIMESURVEY and role == QUESTION and _limesurvey_timing(name, names):
            role = METADATA
        if role == QUESTION and any(
            _generic_role(n) == IDENTIFYING for n in _sub_parts(name, labels[index])
        ):
            asking.add(index)  # a question asking for a name, email or phone number
        columns.append(Column(index, name, labels[index], role))
    layout = Layout(tool, numbers[:header_count], columns)
    completion = _completion(tool, columns)
    for number, cells in zip(numbers[header_count:], rows[header_count:], strict=True):
        cells = cells + [""] * (len(columns) - len(cells))
        layout.records.append(completion(Record(number, cells)))
    _mark_contact_columns(layout, asking, frozenset(e.strip().lower() for e in subjects))
    return layout


def _mark_contact_columns(
    layout: Layout, asking: set[int], subjects: frozenset[str], sample: int = 500
) -> None:
    # A question asking for contact details, or a column holding email or IP addresses whatever
    # its header says (another language, a renamed column), identifies people; unless it holds
    # the 360 participants' own addresses, which name whom the feedback is about.
    for column in layout.columns:
        if column.role != QUESTION:
            continue
        values = [v for v in (r.cells[column.index].strip() for r in layout.records[:sample]) if v]
        if subjects and values and 2 * sum(v.lower() in subjects for v in values) >= len(values):
            continue  # names the participant: mappable, matched by email, never stored
        contacts = sum(bool(CONTACT_VALUE.fullmatch(v)) for v in values)
        if column.index in asking or (values and 2 * contacts >= len(values)):
            column.role = IDENTIFYING


def _generic_role(name: str) -> str:
    key = norm(name).rstrip(" ?:*().")
    return IDENTIFYING if key in GENERIC_IDENTIFYING or GENERIC_CONTACT.search(key) else QUESTION


def _sub_parts(name: str, label: str) -> list[str]:
    # "Contact information - Email": SurveyMonkey's row 2 names one box of a contact question.
    texts = [t for t in (name, label) if t]
    return texts + [t.rsplit(" - ", 1)[1] for t in texts if " - " in t]


def _tool_of_row_two(rows: list[list[str]]) -> Tool | None:
    # Qualtrics' legacy header, or its ImportId row under a chosen few columns ("ResponseId,
    # Q1, Q2" when the other metadata was left out of the download).
    if _legacy_qualtrics(rows) or any(_import_ids(row) for row in rows[1:3]):
        return QUALTRICS
    # SurveyMonkey's row 2 even when its own columns were deleted before the upload.
    return SURVEYMONKEY if _surveymonkey_row_two(rows) else None


def _surveymonkey_row_two(rows: list[list[str]]) -> bool:
    # "Response" / "Open-Ended Response" under most questions, or under one question with the
    # first row blank over a question's later boxes ("Contact information", "", "").
    if len(rows) < 2:
        return False
    said = [norm(c) for c in rows[1] if c.strip()]
    plain = sum(1 for c in said if c in ("response", "open-ended response"))
    boxes = any(not top.strip() and sub.strip() for top, sub in zip(rows[0], rows[1], strict=False))
    return bool(plain) and (plain * 2 > len(said) or boxes)


def _legacy_qualtrics(rows: list[list[str]]) -> bool:
    # Qualtrics' legacy export: V1, V2, … (then Q1, Q2) in row 1, the names in row 2.
    return (
        len(rows) > 1
        and bool(rows[0])
        and norm(rows[0][0]) == "v1"
        and _tool_of(rows[1]) is QUALTRICS
    )


def split_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Column names and data rows of any recognised export (for `survey-app themes`)."""
    layout = recognise(rows)
    return [c.name for c in layout.columns], [r.cells for r in layout.records]


def _tool_of(header: list[str]) -> Tool | None:
    present = {key for h in header for key in header_keys(h)}
    scored = [
        (len(t.markers & present), -position, t)
        for position, t in enumerate(TOOLS)
        if len(t.markers & present) >= t.needed
    ]
    if GOOGLE_FORMS in [t for *_, t in scored] and norm(header[0]) not in GOOGLE_FORMS.markers:
        scored = [s for s in scored if s[2] is not GOOGLE_FORMS]
    return max(scored, key=lambda s: s[:2])[2] if scored else None


def _header_count(tool: Tool | None, rows: list[list[str]]) -> int:
    if tool is SURVEYMONKEY and len(rows) > 1:
        first = [norm(c) for c in rows[0]]
        id_at = first.index("respondent id") if "respondent id" in first else 0
        second = rows[1] + [""] * len(first)
        return 2 if not second[id_at].strip() or _surveymonkey_row_two(rows) else 1
    if tool is QUALTRICS:
        if _legacy_qualtrics(rows):
            return 2
        # The ImportId row ends the header, after the question texts (in any language) or not.
        for count in (2, 3):
            if len(rows) >= count and _import_ids(rows[count - 1]):
                return count
        texts = {"start date", "response id", "response type", "ip address", "end date"}
        return 2 if len(rows) > 1 and texts & {norm(c) for c in rows[1]} else 1
    return 1


def _import_ids(row: list[str]) -> bool:
    return any(c.strip().startswith('{"ImportId"') for c in row)


def _names(tool: Tool | None, header_rows: list[list[str]]) -> tuple[list[str], list[str]]:
    width = max(len(r) for r in header_rows)
    padded = [[c.strip() for c in r] + [""] * (width - len(r)) for r in header_rows]
    first = padded[0]
    if tool is SURVEYMONKEY and len(padded) > 1:
        names, question = [], ""
        for top, sub in zip(first, padded[1], strict=True):
            question = top or question
            plain = not sub or norm(sub) in ("response", "open-ended response")
            names.append(question if plain or not question else f"{question} - {sub}")
        return _unique(names), [""] * width
    if tool is QUALTRICS and len(padded) > 1 and norm(first[0]) == "v1":
        codes = [
            c if c != name and not re.fullmatch(r"V\d+", c) else ""
            for c, name in zip(first, padded[1], strict=True)
        ]
        return _unique([n or f"Column {i + 1}" for i, n in enumerate(padded[1])]), codes
    if tool is QUALTRICS and len(padded) > 1:
        texts = padded[1] if not _import_ids(padded[1]) else [""] * width
        return _unique([n or f"Column {i + 1}" for i, n in enumerate(first)]), texts
    if tool is LIMESURVEY and _code_text(first[0])[0] == "id":
        # "G01Q03. Which sub-region…": the code names the column, the text is its label.
        keys, labels = zip(*(_code_text(name) for name in first), strict=True)
        return _unique([c or f"Column {i + 1}" for i, c in enumerate(keys)]), list(labels)
    return _unique([name or f"Column {i + 1}" for i, name in enumerate(first)]), [""] * width


def _code_text(heading: str) -> tuple[str, str]:
    match = CODE_TEXT.match(heading)
    return (match[1], match[2]) if match else (heading, "")


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _limesurvey_timing(name: str, names: list[str]) -> bool:
    # With timings on, LimeSurvey repeats each question code with "Time" on the end.
    return name.endswith("Time") and name[:-4] in names


def _completion(tool: Tool | None, columns: list[Column]) -> Callable[[Record], Record]:
    by_name = {key: c.index for c in reversed(columns) for key in header_keys(c.name)}

    def cell(record: Record, *names: str) -> str | None:
        for name in names:
            if norm(name) in by_name:
                return record.cells[by_name[norm(name)]].strip()
        return None

    def check(record: Record) -> Record:
        if tool is QUALTRICS:
            status, finished = cell(record, "Status"), cell(record, "Finished")
            progress = cell(record, "Progress")
            if status is not None and norm(status) in PREVIEW_STATUSES:
                record.test, record.why = True, f"a survey preview or test (Status {status})"
            elif (finished is not None and norm(finished) in ("0", "false")) or (
                progress and progress.isdigit() and int(progress) < 100
            ):
                record.complete = False
                record.why = "not finished" + (f" (Progress {progress}%)" if progress else "")
        elif tool is LIMESURVEY:
            submitted = cell(record, "submitdate", "Date submitted")
            if submitted is not None and not submitted:
                lastpage = cell(record, "lastpage", "Last page")
                record.complete = False
                record.why = "never submitted" + (
                    f" (stopped on page {lastpage})" if lastpage else ""
                )
        return record

    return check
