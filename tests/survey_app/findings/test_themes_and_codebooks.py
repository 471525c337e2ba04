"""Themed comments on the findings page: redaction everywhere, codebook versions and edits."""

from __future__ import annotations

import re

import pytest

from instruments.codebook import bundled_codebooks
from survey_app.extensions import db
from survey_app.findings.codebooks import editable_codebook
from survey_app.people.services import add_invitation

pytestmark = pytest.mark.db

NAME, SURNAME, EMAIL = "Priya Venkataraman", "Venkataraman", "priya.v@westshire.gov.uk"
COUNCILLOR = "Hargreaves-Pike"
COMMENTS = [
    f"{NAME} says there is a lack of training to develop the skills to succeed.",
    f"A lack of training to develop the skills to succeed; write to {EMAIL} about it.",
    f"Lack of training for new heads of service, and {SURNAME} agrees.",
    "Honestly, lack of training to develop the skills to succeed.",
    f"Lack of training again; Councillor {COUNCILLOR} never listens.",
]


@pytest.fixture
def themed_campaign(make_campaign, add_responses):
    campaign = make_campaign("seslip_aspiration_survey", title="Themed")
    add_invitation(campaign, name=NAME, source="bulk")
    add_responses(campaign, [{"barriers": [text]} for text in COMMENTS] + [{"gender": ["male"]}])
    return campaign


def everything(lead, campaign, report) -> dict[str, str]:
    base = f"/campaigns/{campaign.id}"
    return {
        "page": lead.get(f"{base}/findings").get_data(as_text=True),
        "csv": lead.get(f"{base}/findings.csv").get_data(as_text=True),
        "xlsx": lead.get(f"{base}/findings.xlsx").data.decode("latin-1"),
        "print": lead.get(f"{base}/findings/print").get_data(as_text=True),
        "json": str(report(campaign.id)),
    }


def test_quotes_are_shown_redacted_and_names_never_appear(
    lead, themed_campaign, report, xlsx_values
):
    outputs = everything(lead, themed_campaign, report)
    assert "what people said" in outputs["page"]
    assert "lack of training to develop the skills to succeed" in outputs["page"]
    assert "[name]" in outputs["page"] or "[email]" in outputs["page"]
    for where, text in outputs.items():
        for secret in (SURNAME, "Priya", EMAIL, "westshire.gov.uk"):
            assert secret not in text, (where, secret)
    values = xlsx_values(lead.get(f"/campaigns/{themed_campaign.id}/findings.xlsx").data)
    assert any("lack of training" in str(v).lower() for v in values)
    assert not any(SURNAME in str(v) for v in values)
    themed = report(themed_campaign.id)["themes"]["barriers"]
    assert themed["commented"] == len(COMMENTS)
    assert themed["codebook"] == "barriers"
    assert themed["codebook_version"] == bundled_codebooks()["barriers"].version
    support = next(t for t in themed["themes"] if t["count"] == len(COMMENTS))
    assert support["quotes"] and support["ci"][0] <= support["percent"] <= support["ci"][1]


def test_commissioner_list_of_names_is_redacted_too(lead, themed_campaign, post_form, report):
    findings = f"/campaigns/{themed_campaign.id}/findings"
    response = post_form(lead, f"{findings}/redact", {"terms": f"{COUNCILLOR}\n"}, get_url=findings)
    assert response.status_code == 302
    db.session.refresh(themed_campaign)
    assert themed_campaign.settings["redact_terms"] == [COUNCILLOR]
    outputs = everything(lead, themed_campaign, report)
    # The commissioner's own list is shown back to them in its form, and nowhere else.
    outputs["page"] = re.sub(r"<textarea.*?</textarea>", "", outputs["page"], flags=re.S)
    for where, text in outputs.items():
        assert COUNCILLOR not in text, where


def test_themes_below_threshold_get_no_quotes(lead, make_campaign, add_responses, report):
    campaign = make_campaign("seslip_aspiration_survey")
    add_responses(campaign, [{"barriers": [COMMENTS[3]]}, {"barriers": [COMMENTS[3]]}])
    themed = report(campaign.id)["themes"]["barriers"]
    assert all(theme["quotes"] == [] for theme in themed["themes"])
    page = lead.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert "what people said" not in page


def _support_theme():
    barriers = bundled_codebooks()["barriers"]
    return next(t for t in barriers.themes if "lack of training" in t.include)


def test_renaming_a_theme_saves_a_campaign_version_the_findings_use(
    lead, themed_campaign, post_form, report
):
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers"
    theme = _support_theme()
    response = post_form(
        lead, url, {"action": "rename", "theme": theme.id, "label": "Training and induction gaps"}
    )
    assert response.status_code == 302
    db.session.refresh(themed_campaign)
    saved = themed_campaign.codebooks["barriers"]
    assert saved["version"] == bundled_codebooks()["barriers"].version + 1
    themed = report(themed_campaign.id)["themes"]["barriers"]
    assert themed["codebook_version"] == saved["version"] and themed["own_codebook"]
    assert "Training and induction gaps" in [t["label"] for t in themed["themes"]]
    page = lead.get(f"/campaigns/{themed_campaign.id}/findings").get_data(as_text=True)
    assert "campaign&#39;s own" in page and f"version {saved['version']}" in page


def test_merging_and_adding_terms_change_the_coding(lead, themed_campaign, post_form, report):
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers"
    themes = bundled_codebooks()["barriers"].themes
    keep, merge = themes[0].id, themes[1].id
    assert (
        post_form(lead, url, {"action": "merge", "keep": keep, "merge": merge}).status_code == 302
    )
    ids = [t["id"] for t in report(themed_campaign.id)["themes"]["barriers"]["themes"]]
    assert keep in ids and merge not in ids
    before = next(
        t for t in report(themed_campaign.id)["themes"]["barriers"]["themes"] if t["id"] == keep
    )["count"]
    assert (
        post_form(
            lead, url, {"action": "terms", "terms_theme": keep, "include": "lack of training"}
        ).status_code
        == 302
    )
    after = next(
        t for t in report(themed_campaign.id)["themes"]["barriers"]["themes"] if t["id"] == keep
    )["count"]
    assert after == len(COMMENTS) > before


def test_invalid_edits_show_located_problems_and_save_nothing(lead, themed_campaign, post_form):
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers"
    one_example = post_form(
        lead,
        url,
        {
            "action": "accept",
            "new_label": "Succession planning",
            "terms": "succession planning",
            "examples": "No succession planning here.",
        },
    )
    text = one_example.get_data(as_text=True)
    assert one_example.status_code == 200 and "was not saved" in text
    assert "theme &#39;succession_planning&#39; examples" in text and "too-few-examples" in text
    theme = _support_theme()
    bad_pattern = post_form(
        lead, url, {"action": "terms", "terms_theme": theme.id, "patterns": "(unclosed"}
    )
    assert "cannot be used" in bad_pattern.get_data(as_text=True)
    db.session.refresh(themed_campaign)
    assert "barriers" not in (themed_campaign.codebooks or {})


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"^(\w+\s?)*$", "matches an empty comment"),
        (r"(a+)+\1", "Back-references"),
        (r"(?<=no )support", "look-arounds"),
        ("x" * 400, "keep patterns under 300"),
    ],
)
def test_unsafe_patterns_are_refused_with_a_field_error(
    lead, themed_campaign, post_form, pattern, reason
):
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers"
    response = post_form(
        lead,
        url,
        {
            "action": "terms",
            "terms_theme": _support_theme().id,
            "include": "fine words",
            "patterns": f"cuts?\n{pattern}",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="error-message" id="patterns-error">(.*?)</p>', page, re.S)
    assert error and "Line 2" in error.group(1) and reason in error.group(1)
    assert 'aria-describedby="patterns-error"' in page and 'href="#patterns"' in page
    db.session.refresh(themed_campaign)
    assert "barriers" not in (themed_campaign.codebooks or {})


def test_a_stalling_pattern_saved_before_the_check_cannot_stall_the_findings(
    lead, themed_campaign, report
):
    # Written straight to the column, as an older version of the product would have saved it.
    raw = editable_codebook(themed_campaign, "barriers")
    raw["themes"][0]["patterns"] = [r"^(\w+\s?)*$"]
    raw["version"] += 1
    themed_campaign.codebooks = {"barriers": raw}
    db.session.commit()
    themed = report(themed_campaign.id)["themes"]["barriers"]
    # The saved copy fails the check, so the bundled codebook codes the comments instead.
    assert themed["codebook_version"] == bundled_codebooks()["barriers"].version
    assert not themed["own_codebook"]
    coded = {t["id"]: t["count"] for t in themed["themes"]}
    assert coded[raw["themes"][0]["id"]] < len(COMMENTS)


def test_accepting_a_proposed_theme_with_examples(lead, themed_campaign, post_form, report):
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers"
    prefilled = lead.get(f"{url}?label=New+heads&terms=heads+of+service").get_data(as_text=True)
    assert 'value="New heads"' in prefilled
    response = post_form(
        lead,
        url,
        {
            "action": "accept",
            "new_label": "New heads",
            "terms": "heads of service",
            "examples": "Heads of service get no induction.\nNew heads of service are left alone.",
        },
    )
    assert response.status_code == 302
    themed = report(themed_campaign.id)["themes"]["barriers"]
    accepted = next(t for t in themed["themes"] if t["label"] == "New heads")
    assert accepted["count"] == 1


def test_recoding_one_comment_by_hand_changes_the_counts(lead, themed_campaign, post_form, report):
    theme, other = _support_theme(), bundled_codebooks()["barriers"].themes[0]
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers/recode/barriers"
    page = lead.get(url).get_data(as_text=True)
    assert "Lack of training again" in page and COUNCILLOR not in page
    comment = re.search(
        r'name="comment" value="([0-9a-f]+)"',
        page.split("Lack of training again")[0].rsplit("<form", 1)[1],
    ).group(1)
    response = post_form(lead, url, {"item": "barriers", "comment": comment, "themes": [other.id]})
    assert response.status_code == 302
    themes = {t["id"]: t for t in report(themed_campaign.id)["themes"]["barriers"]["themes"]}
    assert themes[theme.id]["count"] == len(COMMENTS) - 1
    assert themes[other.id]["count"] == 1 and themes[other.id]["quotes"] == []
    findings = lead.get(f"/campaigns/{themed_campaign.id}/findings").get_data(as_text=True)
    assert "Re-coded by hand: 1;" in findings


def test_theme_sentiment_reads_in_words_with_its_score_beside_them(lead, themed_campaign, report):
    # Before: the Sentiment column showed VADER's raw mean (e.g. 0.172) and nothing else.
    from analysis.theming.sentiment import describe

    page = lead.get(f"/campaigns/{themed_campaign.id}/findings").get_data(as_text=True)
    themed = report(themed_campaign.id)["themes"]["barriers"]
    support = next(t for t in themed["themes"] if t["count"] == len(COMMENTS))
    row = re.search(
        r"<tr>\s*<th scope=\"row\">" + re.escape(support["label"]) + r"</th>(.*?)</tr>",
        page.split('id="t-barriers"')[1],
        re.S,
    ).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    words, score = cells[-2], cells[-1]
    assert words == describe(support["sentiment"]).capitalize()
    assert words in {"Positive", "Mostly positive", "Mixed", "Mostly negative", "Negative"}
    assert score == f"{support['sentiment']:+.2f}"
    assert '<th scope="col" class="num">Sentiment score</th>' in page
    assert "from -1 (negative) to +1 (positive)" in page  # the note says how to read it


def test_a_bad_saved_pattern_is_explained_without_talking_about_yaml(
    lead, themed_campaign, post_form
):
    # A pattern saved before the check (an older version): any edit re-checks the codebook.
    raw = editable_codebook(themed_campaign, "barriers")
    raw["themes"][0]["patterns"] = ["(unclosed"]
    raw["version"] += 1
    themed_campaign.codebooks = {"barriers": raw}
    db.session.commit()
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers"
    response = post_form(
        lead, url, {"action": "rename", "theme": raw["themes"][1]["id"], "label": "Renamed"}
    )
    page = response.get_data(as_text=True)
    assert "bad-pattern" in page and "cannot be used" in page
    assert "check its brackets and backslashes" in page
    assert "YAML" not in page and "single quotes" not in page


def test_recoding_a_comment_returns_to_that_comment(lead, themed_campaign, post_form):
    url = f"/campaigns/{themed_campaign.id}/codebooks/barriers/recode/barriers"
    page = lead.get(url).get_data(as_text=True)
    comment = re.search(r'name="comment" value="([0-9a-f]+)"', page).group(1)
    response = post_form(
        lead, url, {"item": "barriers", "comment": comment, "themes": [_support_theme().id]}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment}")
    after = lead.get(url).get_data(as_text=True)
    # The anchor names the form of that comment, which now says it was coded by hand.
    form = after.split(f'id="comment-{comment}"', 1)[1].split("</form>", 1)[0]
    assert "You coded this comment." in form
