"""The attacker suites' driver: every journey a participant, rater or commissioner takes, over HTTP.

The attack tests (test_database_linkage.py, test_differencing_attacks.py) use only these functions
and the database or its files, so when the nomination, approval, mailing or window-closing flows
change, these functions change and the attacks stay as they are. Everything here goes through the
real pages with real forms and CSRF tokens, as a browser would.

What each function stands for, in the flows of docs/design.md §3:
- `nominate`: the participant proposes a rater on their own pages.
- `approve_nominations`: the commissioner approves them on the nominations page; each approved
  rater's invitation waits in the outbox and the commissioner copies it (a fresh link) to them.
- `rater_link`: the link a rater has *received* (None while no link has gone out).
- `participant_obtainable_links`: every rater link the participant can get hold of: shown on their
  pages, or sent to an address they control.
- `close_window`: the commissioner closes the participant's feedback window (the mix, the frozen
  report); `reopen_window` tries to open it again.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from openpyxl import load_workbook
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign, Participant
from tests.conftest import PASSWORD, csrf_from

RATER_LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,64})")
NEW_LINK = re.compile(r'id="new-link-url" type="text" readonly value="([^"]+)"')
PARTICIPANT_LINK = re.compile(r"/p/([A-Za-z0-9_-]{20,64})")
FIELD = re.compile(r'name="(q_[a-z0-9_]+)"')
TINY = "tiny_feedback"


# ---------------------------------------------------------------- worlds and people


@dataclass
class Rater:
    """Someone nominated to rate a participant, and what they will say."""

    name: str
    email: str | None
    relationship: str
    levels: dict[str, str] = field(default_factory=dict)
    comment: str = ""


@dataclass
class World:
    """One 360 participant in one campaign, and what every actor holds."""

    app: object
    lead: object  # the commissioner's signed-in client
    campaign_id: str
    participant_id: str
    participant_token: str
    participant_name: str
    participant_email: str
    participant: object  # the participant's own browser
    raters: dict[str, Rater] = field(default_factory=dict)
    # Links the participant was shown, by rater name (there should be none).
    shown_to_participant: dict[str, str] = field(default_factory=dict)
    # Links each rater received from the commissioner, by rater name.
    received: dict[str, str] = field(default_factory=dict)
    browsers: dict[str, object] = field(default_factory=dict)

    def browser(self, name: str):
        """The rater's own browser (one per person, so claims and cookies stay theirs)."""
        if name not in self.browsers:
            self.browsers[name] = self.app.test_client()
        return self.browsers[name]


def post(client, url: str, data: dict | None = None, get_url: str | None = None, **kwargs):
    """GET the page holding the form, take its CSRF token, POST the fields."""
    page = client.get(get_url or url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_from(page), **(data or {})}, **kwargs)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign a browser in through the sign-in form."""
    response = post(client, "/sign-in", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def create_campaign(
    lead, title: str, instrument: str = TINY, k: int = 3, open_it: bool = True
) -> str:
    """A campaign made, given its threshold and opened from the commissioner's pages."""
    response = post(lead, "/campaigns/new", {"instrument": instrument, "title": title})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    campaign_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    set_threshold(lead, campaign_id, k, expect_saved=True)
    if open_it:
        change_status(lead, campaign_id, "open")
    return campaign_id


def change_status(lead, campaign_id: str, action: str) -> None:
    """Open, close or archive a campaign with its button (and its confirmation page)."""
    response = post(
        lead,
        f"/campaigns/{campaign_id}/status/{action}",
        {"confirm": "yes"},
        get_url=f"/campaigns/{campaign_id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def set_threshold(lead, campaign_id: str, k: int, expect_saved: bool = False) -> int:
    """Ask for a new minimum group size on the edit page; returns the status code."""
    url = f"/campaigns/{campaign_id}/edit"
    fields = form_fields(lead.get(url).get_data(as_text=True), action=url)
    fields["anonymity_threshold"] = str(k)
    response = lead.post(url, data=fields)
    if expect_saved:
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response.status_code


def edit_settings(lead, campaign_id: str, **changes: str) -> None:
    """Change fields of the campaign's settings page (e.g. options_sub_region) and save."""
    url = f"/campaigns/{campaign_id}/edit"
    fields = form_fields(lead.get(url).get_data(as_text=True), action=url)
    response = lead.post(url, data={**fields, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def threshold_in_force(campaign_id: str) -> int:
    """The minimum group size the campaign's reports use now."""
    from survey_app.campaigns.services import campaign_settings

    db.session.expire_all()
    return int(campaign_settings(db.session.get(Campaign, campaign_id))["anonymity_threshold"])


def add_participant(
    lead, campaign_id: str, name: str, email: str, aspired_role: str = "director"
) -> tuple[str, str]:
    """A participant added on the commissioner's page: (participant id, their link token)."""
    response = post(
        lead,
        f"/campaigns/{campaign_id}/participants/new",
        {
            "name": name,
            "email": email,
            "organisation": "Westshire",
            "current_role": "Head",
            "aspired_role": aspired_role,
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:800]
    token = PARTICIPANT_LINK.search(page).group(1)
    participant_id = db.session.scalar(
        select(Participant.id).where(
            Participant.campaign_id == campaign_id, Participant.name == name
        )
    )
    return participant_id, token


def new_world(
    app,
    lead,
    title: str,
    name: str = "Priya Shah",
    email: str = "priya@example.org",
    k: int = 3,
    instrument: str = TINY,
) -> World:
    """An open campaign with one participant, whose browser is ready."""
    campaign_id = create_campaign(lead, title, instrument, k)
    participant_id, token = add_participant(lead, campaign_id, name, email)
    return World(
        app=app,
        lead=lead,
        campaign_id=campaign_id,
        participant_id=participant_id,
        participant_token=token,
        participant_name=name,
        participant_email=email,
        participant=app.test_client(),
    )


# ---------------------------------------------------------------- nominating and links


def nominate(
    world: World,
    name: str,
    email: str | None,
    relationship: str,
    levels: dict[str, str] | None = None,
    comment: str = "",
) -> tuple[int, str]:
    """The participant nominates a rater; returns (status, the page they see next)."""
    token = world.participant_token
    response = post(
        world.participant,
        f"/p/{token}/raters",
        {"name": name, "email": email or "", "relationship": relationship},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    if response.status_code == 200:
        world.raters[name] = Rater(name, email, relationship, dict(levels or {}), comment)
        shown = NEW_LINK.search(page)
        if shown:
            world.shown_to_participant[name] = html_lib.unescape(shown.group(1))
    return response.status_code, page


def approve_nominations(world: World, reject: set[str] = frozenset()) -> None:
    """The commissioner approves the participant's nominations, except those named in `reject`.

    Approved raters' invitations go out; with no mail server here they wait in the outbox, from
    which the commissioner copies each one (a fresh link) into their own email to the rater.
    """
    from survey_app.models import Invitation, Message

    url = f"/campaigns/{world.campaign_id}/nominations"
    waiting = db.session.scalars(
        select(Invitation).where(
            Invitation.participant_id == world.participant_id, Invitation.status == "proposed"
        )
    ).all()
    decisions = {f"decision-{i.id}": "reject" if i.name in reject else "approve" for i in waiting}
    response = post(world.lead, url, decisions)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    db.session.expire_all()
    for invitation in waiting:
        if invitation.name in reject:
            continue
        message = db.session.scalar(
            select(Message)
            .where(Message.invitation_id == invitation.id)
            .order_by(Message.id.desc())
        )
        shown = post(
            world.lead,
            f"/campaigns/{world.campaign_id}/messages/{message.id}/reveal",
            get_url=f"/campaigns/{world.campaign_id}/messages",
        )
        token = RATER_LINK.search(shown.get_data(as_text=True)).group(1)
        world.received[invitation.name] = f"/r/{token}"


def rater_link(world: World, name: str) -> str | None:
    """The link the rater has received, or None while none has gone out to them."""
    return world.received.get(name)


def participant_obtainable_links(
    world: World, own_addresses: set[str] = frozenset()
) -> dict[str, str]:
    """Every rater link the participant can get, by rater name ('unlabelled N' if unknown).

    Links shown on their pages, and links sent to addresses they control.
    """
    links = dict(world.shown_to_participant)
    own = {a.casefold() for a in own_addresses}
    for name, rater in world.raters.items():
        if rater.email and rater.email.casefold() in own:
            link = rater_link(world, name)
            if link:
                links[name] = link
    known = {_path(link) for link in links.values()}
    for page in participant_pages(world).values():
        for token in RATER_LINK.findall(page):
            if f"/r/{token}" not in known:
                known.add(f"/r/{token}")
                links[f"unlabelled {len(known)}"] = f"/r/{token}"
    return links


def participant_pages(world: World) -> dict[str, str]:
    """Every page the participant can open from their link, by path."""
    token = world.participant_token
    paths = [
        f"/p/{token}",
        f"/p/{token}/raters",
        f"/p/{token}/self",
        f"/p/{token}/privacy",
        f"/p/{token}/my-data.json",
        f"/p/{token}/report",
    ]
    pages = {}
    for path in paths:
        response = world.participant.get(path, follow_redirects=True)
        pages[path] = response.get_data(as_text=True)
    return pages


def relink_forms(world: World) -> list[str]:
    """Actions of every 'new link for this rater' form on the participant's pages."""
    token = world.participant_token
    actions = []
    for page in participant_pages(world).values():
        actions += re.findall(rf'action="(/p/{re.escape(token)}/raters/[^"]+/link)"', page)
    return sorted(set(actions))


# ---------------------------------------------------------------- answering


def _path(link: str) -> str:
    return urlsplit(link).path.rstrip("/")


def answer_as_rater(
    world: World, name: str, link: str | None = None, answers: dict[str, str] | None = None
) -> bool:
    """The rater opens their link, starts, fills every page, checks and submits: True if stored."""
    rater = world.raters.get(name)
    link = link or rater_link(world, name)
    if link is None:
        return False
    answers = answers if answers is not None else rater_answers(rater)
    browser = world.browser(name)
    base = _path(link)
    start = browser.get(base)
    if start.status_code != 200:
        return False
    if 'action="' + base + '"' in start.get_data(as_text=True):
        begun = post(browser, base, get_url=base)
        if begun.status_code != 200:
            return False
    return _fill_and_submit(browser, base, answers)


def rater_answers(rater: Rater) -> dict[str, str]:
    """What a rater enters: their levels, 'no' to the one required question, their comment."""
    return {
        "wants_move": "no",
        **rater.levels,
        **({"comments": rater.comment} if rater.comment else {}),
    }


def _fill_and_submit(browser, base: str, answers: dict[str, str]) -> bool:
    number = 1
    for _ in range(30):
        url = f"{base}/page/{number}"
        page = browser.get(url)
        if page.status_code == 302 and page.headers["Location"].endswith("/check"):
            break
        if page.status_code != 200:
            return False  # this browser may not answer (closed, claimed elsewhere, finished)
        html = page.get_data(as_text=True)
        fields = set(FIELD.findall(html))
        data = {f: answers[f[2:]] for f in fields if f[2:] in answers}
        response = browser.post(
            url, data={"csrf_token": csrf_from(html), "action": "continue", **data}
        )
        assert response.status_code == 302, f"{url}: {response.get_data(as_text=True)[:1500]}"
        location = response.headers["Location"]
        if location.endswith("/check"):
            break
        number = int(location.rsplit("/", 1)[-1])
    done = post(browser, f"{base}/check")
    return done.status_code == 302 and done.headers["Location"].endswith("/done")


def save_draft(world: World, name: str, answers: dict[str, str]) -> None:
    """The rater starts and saves every page, then leaves without submitting."""
    link = rater_link(world, name)
    browser = world.browser(name)
    base = _path(link)
    if 'action="' + base + '"' in browser.get(base).get_data(as_text=True):
        post(browser, base)
    for number in (1, 2, 3):
        url = f"{base}/page/{number}"
        html = browser.get(url).get_data(as_text=True)
        fields = set(FIELD.findall(html))
        browser.post(
            url,
            data={
                "csrf_token": csrf_from(html),
                "action": "later",
                **{f: answers[f[2:]] for f in fields if f[2:] in answers},
            },
        )


def decline(world: World, name: str, link: str | None = None) -> bool:
    """The rater says they will not give feedback."""
    link = link or rater_link(world, name)
    if link is None:
        return False
    base = _path(link)
    response = post(world.browser(name), f"{base}/decline")
    return response.status_code == 302


def self_assess(world: World, levels: dict[str, str], comment: str = "") -> bool:
    """The participant completes their self-assessment from their task list."""
    base = f"/p/{world.participant_token}/self"
    answers = {
        "confident": "3",
        "wants_move": "no",
        **levels,
        **({"comments": comment} if comment else {}),
    }
    return _fill_and_submit(world.participant, base, answers)


# ---------------------------------------------------------------- the commissioner


def close_window(world: World) -> None:
    """The commissioner closes the participant's feedback window (answers mixed, report frozen)."""
    report = f"/campaigns/{world.campaign_id}/participants/{world.participant_id}/report"
    response = post(
        world.lead,
        f"/campaigns/{world.campaign_id}/participants/{world.participant_id}/window/close",
        get_url=report,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def reopen_window(world: World) -> None:
    """The commissioner tries to reopen the participant's window: reopen the campaign (a closed
    window stays closed; nothing else reopens it)."""
    change_status(world.lead, world.campaign_id, "open")


def release_report(world: World) -> int:
    """The commissioner releases the participant's report; returns the status code."""
    report = f"/campaigns/{world.campaign_id}/participants/{world.participant_id}/report"
    response = post(
        world.lead,
        f"/campaigns/{world.campaign_id}/participants/{world.participant_id}/release",
        {"release": "1", "confirm": "yes"},
        get_url=report,
    )
    return response.status_code


def send_invitations(lead, campaign_id: str) -> None:
    """The commissioner presses 'send invitations' (no mail server: they wait in the outbox)."""
    post(
        lead,
        f"/campaigns/{campaign_id}/messages/invitation",
        {"confirm": "yes"},
        get_url=f"/campaigns/{campaign_id}",
    )


def send_reminders(lead, campaign_id: str) -> None:
    """The commissioner presses 'send reminders'."""
    post(
        lead,
        f"/campaigns/{campaign_id}/messages/reminder",
        {"confirm": "yes"},
        get_url=f"/campaigns/{campaign_id}",
    )


def messages_page(lead, campaign_id: str) -> str:
    """The commissioner's messages page (outbox and sent log)."""
    return lead.get(f"/campaigns/{campaign_id}/messages").get_data(as_text=True)


def staff_report_json(world: World) -> dict | None:
    """The participant's published numbers as the commissioner downloads them, if any."""
    response = world.lead.get(
        f"/campaigns/{world.campaign_id}/participants/{world.participant_id}/report.json"
    )
    return response.get_json() if response.status_code == 200 else None


def staff_report_page(world: World) -> str | None:
    """The participant's report page as the commissioner sees it, if any."""
    response = world.lead.get(
        f"/campaigns/{world.campaign_id}/participants/{world.participant_id}/report"
    )
    return response.get_data(as_text=True) if response.status_code == 200 else None


def participant_report(world: World) -> str | None:
    """The participant's own report page, if they can read one."""
    response = world.participant.get(f"/p/{world.participant_token}/report")
    return response.get_data(as_text=True) if response.status_code == 200 else None


def campaign_report_json(lead, campaign_id: str) -> dict | None:
    """Every participant's published numbers and the cohort, as the commissioner downloads them."""
    response = lead.get(f"/campaigns/{campaign_id}/report.json")
    return response.get_json() if response.status_code == 200 else None


def export_rows(lead, campaign_id: str, fmt: str) -> list[dict[str, str]]:
    """The response export (CSV or XLSX) as rows of column -> text."""
    response = lead.get(f"/campaigns/{campaign_id}/export.{fmt}")
    if response.status_code != 200:
        return []
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    sheet = load_workbook(io.BytesIO(response.data), read_only=True)["Responses"]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]] if rows else []


# ---------------------------------------------------------------- research surveys


def survey_links(lead, campaign_id: str, count: int) -> list[str]:
    """New personal survey links, downloaded as the commissioner's CSV."""
    response = post(lead, f"/campaigns/{campaign_id}/links", {"count": str(count)})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    return [row["url"] for row in rows]


def answer_survey(app, link: str, answers: dict[str, str | list[str]]) -> bool:
    """A respondent answers a survey link from start to submit in their own browser."""
    browser = app.test_client()
    base = _path(link)
    post(browser, base)
    return _fill_and_submit(browser, base, answers)


def import_responses(lead, campaign_id: str, header: list[str], rows: list[list[str]]) -> None:
    """Upload responses collected elsewhere as a CSV on the import page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    url = f"/campaigns/{campaign_id}/responses/import"
    response = post(
        lead,
        url,
        {"file": (io.BytesIO(buffer.getvalue().encode()), "rows.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    # The upload opens its preview; the commissioner accepts it as shown and imports.
    preview = urlsplit(response.headers["Location"]).path
    fields = form_fields(lead.get(preview).get_data(as_text=True), action=preview)
    done = lead.post(preview, data={**fields, "import": "1"})
    assert done.status_code == 302, done.get_data(as_text=True)[:1500]


def findings_tables(lead, campaign_id: str, **args) -> dict[str, dict]:
    """The findings CSV download as {table title: {"header", "rows", "note"}}."""
    response = lead.get(f"/campaigns/{campaign_id}/findings.csv", query_string=args)
    tables, current = {}, None
    for row in csv.reader(io.StringIO(response.get_data(as_text=True))):
        if not row:
            current = None
        elif current is None:
            current = tables.setdefault(row[0], {"header": None, "rows": [], "note": ""})
        elif current["header"] is None:
            current["header"] = row
        elif len(row) == 1 and len(current["header"]) > 1:
            current["note"] = row[0]
        else:
            current["rows"].append(row)
    return tables


# ---------------------------------------------------------------- reading forms and reports


class _FormReader(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__()
        self.action, self.inside, self.fields, self.select = action, False, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # The form posting to `action`, or back to its own page (no action attribute).
            self.inside = not self.fields and attrs.get("action", "") in ("", self.action)
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "select":
            self.select = attrs.get("name")
        elif (
            self.inside
            and tag == "option"
            and self.select
            and ("selected" in attrs or self.select not in self.fields)
        ):
            self.fields[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_fields(page: str, action: str) -> dict[str, str]:
    """The values a browser would send for the form posting to `action` (or to its own page)."""
    reader = _FormReader(action)
    reader.feed(page)
    return reader.fields


NUMBER = r"(–|-?\d+(?:\.\d+)?)"
OTHERS = "others"


def page_figures(page: str | None) -> dict:
    """The figures a report page shows, in the shape `json_figures` gives.

    {"behaviours": {bid: {gid: (n, mean)}}, "items": {item: {gid: (n, mean)}},
     "spread": {bid: {gid: text}}, "comments": set of raters' comments shown}
    gid is the group's id ('peer', 'pooled', 'direct_report_and_others', ...) or "others" for all
    raters except self. Means are as displayed (one decimal), None where the page shows a dash.
    """
    result = {"behaviours": {}, "items": {}, "spread": {}, "comments": set()}
    if not page:
        return result
    for bid, body in re.findall(
        r'<section aria-labelledby="b-[^"]+" class="behaviour" '
        r'data-behaviour="([^"]+)">(.*?)</section>',
        page,
        re.S,
    ):
        groups, spread, by_label = {}, {}, {}
        for gid, cells in re.findall(r'<tr data-group="([^"]+)">(.*?)</tr>', body, re.S):
            label = re.search(r'<th scope="row">(.*?)</th>', cells, re.S)
            numbers = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', cells)
            if gid in ("self", "target") or len(numbers) < 2:
                continue
            groups[gid] = (_int(numbers[0]), _float(numbers[1]))
            tds = re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
            spread[gid] = html_lib.unescape(tds[2]).strip() if len(tds) > 2 else ""
            by_label[html_lib.unescape(label.group(1)).strip() if label else gid] = gid
        result["behaviours"][bid], result["spread"][bid] = groups, spread
        header = re.search(r'<table class="table items-table">.*?<thead><tr>(.*?)</tr>', body, re.S)
        labels = re.findall(r"<th[^>]*>([^<]*)</th>", header.group(1))[2:] if header else []
        for item_id, cells in re.findall(r'<tr data-item="([^"]+)">(.*?)</tr>', body, re.S):
            values = re.findall(r'<td class="num">([^<]*)</td>', cells)[1:]
            row = {}
            for label, value in zip(labels, values, strict=False):
                found = re.match(rf"\s*{NUMBER}\s*\(n=(\d+)\)", value)
                label = html_lib.unescape(label).strip()
                gid = OTHERS if label == "All raters except self" else by_label.get(label, label)
                if found:
                    row[gid] = (int(found.group(2)), _float(found.group(1)))
            result["items"][item_id] = row
    comments = re.search(r'<section aria-labelledby="comments">(.*?)</section>', page, re.S)
    if comments:
        result["comments"] = {
            html_lib.unescape(t.strip())
            for block in re.findall(
                r'<ul class="list comments">(.*?)</ul>', comments.group(1), re.S
            )
            for t in re.findall(r"<li>(.*?)</li>", block, re.S)
        }
    return result


def json_figures(report: dict | None) -> dict:
    """The figures of a report JSON download, in the shape `page_figures` gives."""
    result = {"behaviours": {}, "items": {}, "spread": {}, "comments": set()}
    if not report:
        return result
    for bid, row in report.get("behaviours", {}).items():
        groups = {gid: (g["n"], g["mean"]) for gid, g in row.get("groups", {}).items()}
        groups[OTHERS] = (row.get("others_n") or 0, row.get("others"))
        result["behaviours"][bid] = groups
    for item_id, row in report.get("items", {}).items():
        cells = {gid: (g["n"], g["mean"]) for gid, g in row.get("groups", {}).items()}
        if row.get("others_n"):
            cells[OTHERS] = (row["others_n"], row.get("others"))
        result["items"][item_id] = cells
    return result


def _float(text: str) -> float | None:
    text = text.strip()
    return None if text in ("–", "") else float(text)


def _int(text: str) -> int:
    text = text.strip()
    return 0 if text in ("–", "") else int(text)
