"""An instrument with a second language: respondents choose it by link and keep it; codes stay."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign

from .conftest import SURVEY_YAML

pytestmark = pytest.mark.db

WELSH = (
    SURVEY_YAML.replace("kind: survey\n", "kind: survey\nlanguage: en\n")
    + """\
translations:
  cy:
    title: Curiad y tîm
    sections: {mood: {title: Sut mae pethau}}
    items:
      q1: {prompt: "Sut mae eich wythnos yn mynd?", options: {well: Yn dda, badly: Yn wael}}
      q2: {prompt: "Hoffech chi gefnogaeth?", options: {"yes": Hoffwn, "no": Na hoffwn}}
      q3: {prompt: "Pa gefnogaeth fyddai'n helpu?"}
"""
)


def _personal_link(app, lead_client, upload, post_form) -> tuple[object, str]:
    assert upload(lead_client, WELSH).status_code == 302
    post_form(lead_client, "/campaigns/new", {"instrument": "team_pulse", "title": "Curiad"})
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == "Curiad"))
    detail = f"/campaigns/{campaign.id}"
    post_form(lead_client, f"{detail}/status/open", get_url=detail)
    made = post_form(lead_client, f"{detail}/open-link", get_url=detail)
    page = lead_client.get(made.headers["Location"]).get_data(as_text=True)
    open_url = re.search(r"https?://[^\"<\s]+(/o/[A-Za-z0-9_-]+)", page).group(1)
    browser = app.test_client()
    issued = post_form(browser, open_url).get_data(as_text=True)
    url = re.search(r'readonly value="http://localhost(/r/[A-Za-z0-9_-]+)"', issued).group(1)
    return browser, url


def test_a_respondent_reads_the_questions_in_the_language_they_choose(
    app, lead_client, upload, post_form
):
    browser, url = _personal_link(app, lead_client, upload, post_form)
    start = browser.get(url).get_data(as_text=True)
    assert "Questions in:" in start and 'hreflang="cy"' in start and "Cymraeg" in start

    welsh = browser.get(f"{url}/page/1?lang=cy").get_data(as_text=True)
    assert '<h1 class="heading-l" lang="cy">Sut mae pethau</h1>' in welsh
    assert "Sut mae eich wythnos yn mynd?" in welsh and "Yn dda" in welsh
    assert "How is your week going?" not in welsh
    # The choice is kept for the following pages without ?lang= on every link.
    again = browser.get(f"{url}/page/1").get_data(as_text=True)
    assert "Sut mae eich wythnos yn mynd?" in again

    # Answering in Welsh stores the same codes as in English; the check page reads in Welsh.
    post_form(browser, f"{url}/page/1", {"q_q1": "well", "q_q2": "no", "action": "continue"})
    check = browser.get(f"{url}/check").get_data(as_text=True)
    assert "Yn dda" in check and "Na hoffwn" in check

    # Switching language on a page reached by "Change" keeps it going back to the check page.
    changing = browser.get(f"{url}/page/1?change=1").get_data(as_text=True)
    assert 'href="' + f"{url}/page/1?change=1&amp;lang=en" + '"' in changing

    english = browser.get(f"{url}/check?lang=en").get_data(as_text=True)
    assert "How is your week going?" in english and "Well" in english
    assert "How is your week going?" in browser.get(f"{url}/page/1").get_data(as_text=True)


def test_an_unknown_language_is_ignored_and_the_own_wording_shown(
    app, lead_client, upload, post_form
):
    browser, url = _personal_link(app, lead_client, upload, post_form)
    page = browser.get(f"{url}/page/1?lang=xx").get_data(as_text=True)
    assert "How is your week going?" in page and 'lang="xx"' not in page


def test_the_preview_shows_each_language(lead_client, upload):
    assert upload(lead_client, WELSH).status_code == 302
    own = lead_client.get("/library/team_pulse/v1/preview/respondent").get_data(as_text=True)
    assert "How is your week going?" in own and 'hreflang="cy"' in own
    welsh = lead_client.get("/library/team_pulse/v1/preview/respondent?lang=cy")
    text = welsh.get_data(as_text=True)
    assert "Sut mae eich wythnos yn mynd?" in text and "How is your week going?" not in text
    assert 'lang="cy"' in text
