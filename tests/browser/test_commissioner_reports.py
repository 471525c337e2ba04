"""Reports, findings and the commissioner's back-office pages on the demo data, in Chromium.

One server per module, seeded with `load_demo` (a 360 cohort, the SESLIP survey with its 71
responses and a skills audit). Each page is scanned against the WCAG A/AA rules, charts must be
drawn and each must have a table with the same figures, and report pages must fit a 360px screen.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.commissioner_checks import (
    assert_wcag_clean,
    charts_without_tables,
    clipped_chart_labels,
    follow,
    horizontal_overflow,
    too_wide_elements,
    wait_for_charts,
)

pytestmark = pytest.mark.browser


def _seed() -> dict:
    from sqlalchemy import select

    from survey_app.demo.loader import DEMO_PARTICIPANTS, load_demo
    from survey_app.extensions import db
    from survey_app.models import Campaign, Participant
    from survey_app.people.services import reissue_token

    assert load_demo(lambda message: None)
    campaigns = {c.instrument_key: c.id for c in db.session.scalars(select(Campaign))}
    # The demo also has last year's cohort of the same 360: take this year's.
    cohort = db.session.scalar(
        select(Campaign).where(Campaign.title == "Aspiring leaders cohort 2026")
    )
    released = db.session.scalar(
        select(Participant).where(
            Participant.name == DEMO_PARTICIPANTS[0][0], Participant.campaign_id == cohort.id
        )
    )
    return {
        "cohort": cohort.id,
        "seslip": campaigns["seslip_aspiration_survey"],
        "audit": campaigns["skills_talent_audit"],
        "participant": released.id,
        "participant_name": released.name,
        "token": reissue_token(released),
    }


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory):
    """A served app on its own SQLite file holding the demo data: (base URL, ids and token)."""
    from tests.browser.conftest import demo_site

    with demo_site(
        browser, tmp_path_factory.mktemp("demo"), _seed, viewport={"width": 1024, "height": 800}
    ) as site:
        site["page"].close()
        yield site


@pytest.fixture
def staff_page(demo):
    """A page in the signed-in demo commissioner's (an admin's) browser."""
    page = demo["staff"].new_page()
    yield page
    page.close()


@pytest.fixture
def public_page(browser, demo):
    """A page in a browser with no session, as a participant would have."""
    context = browser.new_context(base_url=demo["base"], viewport={"width": 1024, "height": 800})
    yield context.new_page()
    context.close()


def _assert_charts_with_tables(page, label: str, at_least: int) -> None:
    drawn = wait_for_charts(page)
    assert drawn >= at_least, f"{label}: expected at least {at_least} charts, found {drawn}"
    assert page.locator("[data-figure] .main-svg").count() >= drawn  # plotly really drew them
    assert charts_without_tables(page) == [], f"{label}: charts with no table alternative"


def _report_pages(demo) -> dict[str, str]:
    return {
        "cohort report": f"/campaigns/{demo['cohort']}/cohort",
        "staff view of a participant's report": (
            f"/campaigns/{demo['cohort']}/participants/{demo['participant']}/report"
        ),
        "SESLIP findings": f"/campaigns/{demo['seslip']}/findings",
        "audit findings": f"/campaigns/{demo['audit']}/findings",
    }


@pytest.mark.parametrize(
    "label",
    ["cohort report", "staff view of a participant's report", "SESLIP findings", "audit findings"],
)
def test_report_and_findings_pages_draw_charts_with_tables_and_pass_axe(demo, staff_page, label):
    response = staff_page.goto(_report_pages(demo)[label])
    assert response.status == 200
    _assert_charts_with_tables(staff_page, label, at_least=2)
    assert_wcag_clean(staff_page, label)


def test_participant_reads_their_report_and_saves_a_plan(demo, public_page):
    page = public_page
    page.goto(f"/p/{demo['token']}/report")
    assert page.get_by_role(
        "heading",
        name=f"360 feedback report: {demo['participant_name']}",
    ).is_visible()
    _assert_charts_with_tables(page, "participant's own report", at_least=2)
    assert_wcag_clean(page, "participant's own report")

    follow(page, page.get_by_role("link", name="Make your development plan"))
    assert_wcag_clean(page, "development plan page")
    # The date is typed as the hint says: no browser date picker with a format of its own.
    assert page.get_by_label("Review date").first.get_attribute("type") == "text"
    assert "For example, 31 3 2027" in page.content()
    follow(page, page.get_by_role("button", name="Save your plan"))
    assert "Choose at least 2 behaviours" in page.content()
    # The error summary comes before the heading, with "Error:" in the title, and has focus.
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.evaluate(
        "document.querySelector('.error-summary').getBoundingClientRect().top"
        " < document.querySelector('h1').getBoundingClientRect().top"
    )
    assert_wcag_clean(page, "development plan page with errors")
    when = date.today() + timedelta(days=120)
    review = f"{when.day} {when.month} {when.year}"
    goals = page.locator("fieldset.panel")
    for index, action in enumerate(
        [
            "Shadow the director at two scrutiny meetings",
            "Run the next service review with partner agencies",
        ]
    ):
        goal = goals.nth(index)
        goal.get_by_label("Behaviour").select_option(index=index + 1)
        goal.get_by_label("What you will do").fill(action)
        goal.get_by_label("Mentoring").check()
        goal.get_by_label("Review date").fill(review)
    follow(page, page.get_by_role("button", name="Save your plan"))
    assert page.url.endswith("/report#plan")
    assert "Shadow the director at two scrutiny meetings" in page.content()
    assert page.get_by_role("link", name="Update your development plan").is_visible()


OFFICE_PAGES = {
    "codebook editing page": "/campaigns/{seslip}/codebooks/barriers",
    "messages and outbox": "/campaigns/{cohort}/messages",
    "audit log": "/admin/audit",
    "edit 360 campaign": "/campaigns/{cohort}/edit",
    "edit survey campaign": "/campaigns/{seslip}/edit",
    "import responses page": "/campaigns/{seslip}/responses/import",
    "survey campaign page": "/campaigns/{seslip}",
    "survey links page": "/campaigns/{audit}/links",
    "demo dashboard": "/campaigns/",
}


@pytest.mark.parametrize("label", sorted(OFFICE_PAGES))
def test_back_office_pages_pass_axe(demo, staff_page, label):
    response = staff_page.goto(OFFICE_PAGES[label].format(**demo))
    assert response.status == 200, f"{label}: HTTP {response.status}"
    assert_wcag_clean(staff_page, label)


def test_codebook_edit_with_an_error_passes_axe(demo, staff_page):
    staff_page.goto(f"/campaigns/{demo['seslip']}/codebooks/barriers")
    follow(staff_page, staff_page.get_by_role("button", name="Rename", exact=True))
    assert staff_page.locator(".error-message").count() >= 1
    assert staff_page.title().startswith("Error:")
    assert_wcag_clean(staff_page, "codebook page with errors")


@pytest.mark.parametrize(
    "label",
    ["cohort report", "staff view of a participant's report", "SESLIP findings", "audit findings"],
)
def test_reports_fit_a_360px_screen(demo, browser, label):
    context = browser.new_context(
        base_url=demo["base"],
        viewport={"width": 360, "height": 740},
        storage_state=demo["staff"].storage_state(),
    )
    try:
        page = context.new_page()
        page.goto(_report_pages(demo)[label])
        wait_for_charts(page)
        assert too_wide_elements(page) == [], f"{label}: elements wider than the screen"
        assert horizontal_overflow(page) <= 0, f"{label}: the page scrolls sideways"
        scrolling = page.locator(".table-wrap").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
            ".map(e => [e.tabIndex, e.getAttribute('role'), e.getAttribute('aria-label')])"
        )
        assert scrolling, f"{label}: expected some wide tables to scroll at 360px"
        assert all(index == 0 and role == "region" and name for index, role, name in scrolling)
        assert_wcag_clean(page, f"{label} at 360px")
    finally:
        context.close()


def test_participant_report_and_plan_fit_a_360px_screen(demo, browser):
    context = browser.new_context(base_url=demo["base"], viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        for path in (f"/p/{demo['token']}/report", f"/p/{demo['token']}/plan"):
            page.goto(path)
            wait_for_charts(page)
            assert too_wide_elements(page) == [], f"{path}: elements wider than the screen"
            assert horizontal_overflow(page) <= 0, f"{path}: the page scrolls sideways"
    finally:
        context.close()


def test_coding_comments_teaches_the_model_and_both_pages_pass_axe(demo, staff_page):
    # Last in the module: it adds codes to the demo survey's comments.
    staff_page.goto(f"/campaigns/{demo['seslip']}/findings#themes")
    follow(staff_page, staff_page.get_by_role("link", name="Code comments").first)
    assert "/recode/" in staff_page.url
    assert staff_page.get_by_role("heading", name="Most useful to code next").is_visible()
    assert_wcag_clean(staff_page, "coding page")
    for _ in range(10):
        # The first comment offered: keep its themes as they are, which confirms them.
        follow(
            staff_page, staff_page.get_by_role("button", name="Save themes for this comment").first
        )
    assert staff_page.locator(".notification--success").is_visible()
    assert "You have coded" in staff_page.content()
    coded = int(staff_page.locator("#coded").inner_text().split("coded ")[1].split()[0])
    assert coded >= 10
    assert_wcag_clean(staff_page, "coding page after saving")
    staff_page.goto(f"/campaigns/{demo['seslip']}/findings")
    table = staff_page.get_by_role("table", name="How well the model agrees with your codes")
    assert table.first.is_visible()
    assert table.first.get_by_role("row").count() >= 2
    assert_wcag_clean(staff_page, "findings page with learning estimates")


def _console_problems(page) -> list[str]:
    """Collect the page's console errors and warnings (plotly logs its own as warnings)."""
    problems: list[str] = []

    def note(message) -> None:
        if message.type not in ("error", "warning", "trace", "assert"):
            return
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for an icon the app does not have
        problems.append(f"{message.type}: {message.text}")

    page.on("console", note)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


@pytest.mark.parametrize("width", [1280, 360])
def test_chart_labels_are_whole_and_drawn_without_console_errors(demo, browser, width):
    # Before: a 10px left margin cut every answer to its last letters ("'s", "d") and the heat
    # map's behaviour names to "Oper", "Abilit".
    context = browser.new_context(
        base_url=demo["base"],
        viewport={"width": width, "height": 800},
        storage_state=demo["staff"].storage_state(),
    )
    try:
        page = context.new_page()
        problems = _console_problems(page)
        for label, path in _report_pages(demo).items():
            page.goto(path)
            assert wait_for_charts(page) >= 2, label
            page.wait_for_timeout(200)  # plotly re-lays out once its automatic margins are known
            assert clipped_chart_labels(page) == [], f"{label} at {width}px"
        assert problems == [], f"console at {width}px"
    finally:
        context.close()


AUDIT_SECTION = """() => {
    const parts = [];
    for (let el = document.getElementById('audit-summary').nextElementSibling;
         el && el.id !== 'hipo-matrix'; el = el.nextElementSibling) { parts.push(el); }
    return parts;
}"""


def test_audit_summary_fits_a_laptop_with_one_footnote_for_hidden_figures(demo, browser):
    # Before: one 2,285px table in which every hidden cell said the whole phrase again.
    from survey_app.findings.exports import HIDDEN_MARK, hidden_text

    context = browser.new_context(
        base_url=demo["base"],
        viewport={"width": 1280, "height": 800},
        storage_state=demo["staff"].storage_state(),
    )
    try:
        page = context.new_page()
        page.goto(f"/campaigns/{demo['audit']}/findings")
        assert horizontal_overflow(page) <= 0
        section = page.evaluate_handle(AUDIT_SECTION)
        widths = section.evaluate(
            "els => els.filter(e => e.matches('.table-wrap'))"
            ".map(e => [e.scrollWidth, e.clientWidth])"
        )
        assert len(widths) >= 4 and all(scroll <= client for scroll, client in widths), widths
        text = section.evaluate("els => els.map(e => e.innerText).join('\\n')")
        assert text.count(hidden_text(3)) == 1, "the phrase belongs in one footnote"
        footnotes = section.evaluate(
            "els => els.filter(e => e.matches('.footnote')).map(e => e.innerText)"
        )
        assert footnotes == [f"{HIDDEN_MARK} = {hidden_text(3)}."]
        marks = section.evaluate(
            "els => els.flatMap(e => [...e.querySelectorAll('td.suppressed')])"
            ".map(td => td.querySelector('[aria-hidden=true]').innerText)"
        )
        assert set(marks) == {HIDDEN_MARK}
        assert len(marks) >= 5  # the demo hides a good many of the audit's small figures
    finally:
        context.close()
    narrow = browser.new_context(
        base_url=demo["base"],
        viewport={"width": 360, "height": 740},
        storage_state=demo["staff"].storage_state(),
    )
    try:
        page = narrow.new_page()
        page.goto(f"/campaigns/{demo['audit']}/findings")
        assert horizontal_overflow(page) <= 0, "the page scrolls sideways at 360px"
        scrolling = page.evaluate_handle(AUDIT_SECTION).evaluate(
            "els => els.filter(e => e.matches('.table-wrap') && e.scrollWidth > e.clientWidth)"
            ".map(e => e.getAttribute('role'))"
        )
        assert scrolling and set(scrolling) == {"region"}  # wide parts scroll in their own box
    finally:
        narrow.close()
