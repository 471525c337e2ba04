"""Library pages: list, upload, problems, versions with their diff, previews, who may use them."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from survey_app.extensions import db
from survey_app.library import services
from survey_app.library.store import bundled
from survey_app.people.services import add_invitation, add_participant

from .conftest import BROKEN_YAML, SURVEY_YAML, revised

pytestmark = pytest.mark.db


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_library_lists_bundled_and_uploaded_instruments_with_versions(
    lead_client, commissioner
):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    services.add_version(commissioner, revised().encode(), "team_pulse.yaml")
    db.session.commit()
    page = _text(lead_client.get("/library/"))
    for instrument in bundled().values():
        assert str(escape(instrument.title)) in page
    assert "Team pulse" in page and "Uploaded by Regional Lead" in page
    assert 'href="/library/team_pulse/v1"' in page and 'href="/library/team_pulse/v2"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page


def test_uploading_a_good_file_stores_version_1_and_shows_it(lead_client, upload):
    response = upload(lead_client, SURVEY_YAML)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/library/team_pulse/v1")
    page = _text(lead_client.get(response.headers["Location"]))
    assert "Stored version 1 of team_pulse." in page
    assert "This is the first version." in page
    assert "team_pulse.yaml (YAML)" in page
    assert 'href="/library/team_pulse/v1/preview/respondent"' in page


def test_a_bad_file_lists_every_problem_with_its_place_and_keeps_the_form(lead_client, upload):
    response = upload(lead_client, BROKEN_YAML)
    page = _text(response)
    assert response.status_code == 400
    assert "Nothing was stored: team_pulse.yaml has 3 problems" in page
    assert "unknown question type &#39;long_txt&#39;" in page
    assert "did you mean &#39;long_text&#39;?" in page
    assert "item &#39;q3&#39; show_if" in page  # where
    assert "required key &#39;prompt&#39; is missing" in page
    assert 'type="file"' in page and 'name="csrf_token"' in page
    assert services.stored_versions("team_pulse") == []


def test_unreadable_yaml_is_located_by_line_and_column(lead_client, upload):
    page = _text(upload(lead_client, "key: x\nsections:\n  - id: a\n   title: misaligned\n"))
    assert re.search(r"line 4, column \d+", page)
    assert "not valid YAML" in page


def test_a_file_of_another_kind_is_refused_with_a_reason(lead_client, upload):
    response = upload(lead_client, b"a,b\n1,2\n", filename="pulse.txt")
    assert response.status_code == 400
    assert "is not an instrument file this product reads" in _text(response)


def test_uploading_without_a_file_says_so(lead_client, post_form):
    response = post_form(lead_client, "/library/upload", {}, get_url="/library/")
    assert response.status_code == 400
    assert "Choose a YAML (.yaml) or XLSForm (.xlsx) file" in _text(response)


def test_the_same_file_again_is_not_a_new_version(lead_client, upload):
    upload(lead_client, SURVEY_YAML)
    response = upload(lead_client, SURVEY_YAML)
    assert response.headers["Location"].endswith("/library/team_pulse/v1")
    assert "the file is the same as version 1" in _text(lead_client.get("/library/team_pulse/v1"))
    assert len(services.stored_versions("team_pulse")) == 1


def test_version_2_shows_its_changes_in_words(lead_client, upload):
    upload(lead_client, SURVEY_YAML)
    response = upload(lead_client, revised())
    assert response.headers["Location"].endswith("/library/team_pulse/v2")
    page = _text(lead_client.get("/library/team_pulse/v2"))
    assert (
        "item q1&#39;s prompt changed from &#39;How is your week going?&#39; to "
        "&#39;How was your week?&#39;" in page
    )
    assert "option &#39;Maybe&#39; added to q2" in page
    assert 'href="/library/team_pulse/v1"' in page


def test_another_commissioner_cannot_version_your_key(
    client, commissioner, other_commissioner, sign_in, upload
):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    db.session.commit()
    sign_in(client, "other@example.org")
    response = upload(client, revised())
    assert response.status_code == 400
    assert "belongs to another commissioner" in _text(response)
    assert len(services.stored_versions("team_pulse")) == 1
    # They may still read it and launch campaigns on it.
    assert client.get("/library/team_pulse/v1").status_code == 200


def test_a_commissioner_cannot_version_a_bundled_instrument(lead_client, upload):
    seslip = bundled()["seslip_aspiration_survey"]
    text = services.export_bytes(services.plain(seslip.raw), "yaml").decode()
    response = upload(lead_client, text.replace(seslip.title, "Mine", 1), "seslip.yaml")
    assert response.status_code == 400
    assert "only an administrator can add a version" in _text(response)


def test_survey_preview_shows_every_page_with_conditional_items_marked(lead_client, upload):
    upload(lead_client, SURVEY_YAML)
    page = _text(lead_client.get("/library/team_pulse/v1/preview/respondent"))
    assert "How is your week going?" in page and "What support would help?" in page
    assert "Conditional" in page and "Shown when q2 is answered yes" in page
    assert 'name="q_q1"' in page and 'type="radio"' in page
    # Nothing to send: the only form on the page is the header's sign-out button.
    assert page.count("<form") == 1 and 'action="/sign-out"' in page
    assert lead_client.get("/library/team_pulse/v1/preview/rater").status_code == 404


def test_360_preview_has_a_self_and_a_rater_audience(lead_client):
    leader = bundled()["resourceful_leader_360"]
    base = f"/library/resourceful_leader_360/v{leader.version}/preview"
    self_page = _text(lead_client.get(f"{base}/self"))
    rater_page = _text(lead_client.get(f"{base}/rater"))
    item = leader.behaviours[0].items[0]
    assert str(escape(item.prompt_for("self"))) in self_page
    assert str(escape(item.prompt_for("rater"))) in rater_page
    pages = len(leader.sections_for("rater"))
    assert f"Page {pages} of {pages}" in rater_page
    assert lead_client.get(f"{base}/respondent").status_code == 404


def test_unknown_versions_are_404(lead_client):
    assert lead_client.get("/library/team_pulse/v1").status_code == 404
    assert lead_client.get("/library/resourceful_leader_360/v99").status_code == 404


LIBRARY_URLS = (
    "/library/",
    "/library/upload",
    "/library/team_pulse/v1",
    "/library/team_pulse/v1/preview/respondent",
)


def test_anonymous_visitors_and_link_holders_are_sent_to_sign_in(
    client, commissioner, make_campaign, upload
):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    survey = make_campaign("seslip_aspiration_survey")
    respondent = add_invitation(survey)
    leaders = make_campaign("resourceful_leader_360")
    participant = add_participant(leaders, "Priya Shah", "priya@example.org")
    rater = add_invitation(
        leaders, participant=participant.participant, relationship="peer", name="Sam Peer"
    )
    db.session.commit()
    # Holding a respondent's, a participant's and a rater's link signs no one in.
    for url in (f"/r/{respondent.token}", f"/p/{participant.token}", f"/r/{rater.token}"):
        assert client.get(url).status_code == 200, url
    for url in LIBRARY_URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    response = client.post("/library/upload", data={})
    assert response.status_code in (302, 400)
    assert len(services.stored_versions("team_pulse")) == 1


def test_each_problem_of_a_yaml_file_names_its_line_and_column(lead_client, upload):
    page = _text(upload(lead_client, BROKEN_YAML))
    lines = BROKEN_YAML.splitlines()
    q3 = next(n for n, line in enumerate(lines, 1) if "id: q3" in line)
    show_if = next(n for n, line in enumerate(lines, 1) if "show_if:" in line)
    assert f"line {q3}, column 9 (item &#39;q3&#39;)" in page  # the item's "- id:" line
    assert f"line {show_if}, column 9 (item &#39;q3&#39; show_if)" in page


def test_an_unclosed_quote_is_located_where_it_opened(lead_client, upload):
    text = SURVEY_YAML.replace("title: Team pulse", "title: 'Team pulse")
    page = _text(upload(lead_client, text))
    assert "line 3, column 8" in page and "never closed" in page


def _pulse_form(question_type: str = "select_one yn") -> bytes:
    from tests.instruments.xlsform_builder import xlsform

    return xlsform(
        [
            ("type", "name", "label", "required"),
            ("begin_group", "mood", "How things are", ""),
            (question_type, "ok", "All well?", "yes"),
            ("text", "why", "Why?", ""),
            ("end_group", "mood", "", ""),
        ],
        [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")],
        {"form_title": "Check in", "form_id": "check_in"},
    )


def test_an_xlsform_upload_is_stored_previewed_and_versioned(lead_client, upload):
    response = upload(lead_client, _pulse_form(), "Check in.xlsx")
    assert response.headers["Location"].endswith("/library/check_in/v1")
    page = _text(lead_client.get("/library/check_in/v1"))
    assert "Check in.xlsx (XLSForm)" in page
    (stored,) = services.stored_versions("check_in")
    assert stored.source_format == "xlsform" and stored.content.startswith(b"PK")  # the workbook
    preview = _text(lead_client.get("/library/check_in/v1/preview/respondent"))
    assert "All well?" in preview and 'type="radio"' in preview


def test_xlsform_problems_name_the_sheet_and_row(lead_client, upload):
    response = upload(lead_client, _pulse_form("geopoint"), "check.xlsx")
    page = _text(response)
    assert response.status_code == 400
    assert "sheet survey, row 3" in page
    assert services.stored_versions("check_in") == []


def test_every_question_type_is_drawn_in_the_preview_by_its_own_partial(lead_client, commissioner):
    from instruments import QUESTION_TYPES
    from survey_app.library.preview import audiences_of
    from tests.conftest import TINY_INSTRUMENT
    from tests.paths import INSTRUMENTS

    seen = set()
    for path in (TINY_INSTRUMENT, INSTRUMENTS / "examples" / "composite_types.yaml"):
        added = services.add_version(commissioner, path.read_bytes(), path.name)
        db.session.commit()
        instrument = services.latest(added.key).instrument
        for audience in audiences_of(instrument):
            page = _text(lead_client.get(f"/library/{added.key}/v1/preview/{audience}"))
            for section in instrument.sections_for(audience):
                for item in section.items:
                    assert str(escape(item.prompt_for(audience, ""))) in page, item.id
                    assert f'id="{item.field_name}' in page, item.id
                    seen.add(item.type)
    assert seen == set(QUESTION_TYPES)


def test_a_version_downloads_as_yaml_and_xlsform_that_upload_back_unchanged(lead_client, upload):
    upload(lead_client, SURVEY_YAML)
    page = _text(lead_client.get("/library/team_pulse/v1"))
    assert 'href="/library/team_pulse/v1/download/yaml"' in page
    for fmt, name in (("yaml", "team_pulse-v1.yaml"), ("xlsx", "team_pulse-v1.xlsx")):
        response = lead_client.get(f"/library/team_pulse/v1/download/{fmt}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        again = upload(lead_client, response.data, name)
        assert again.headers["Location"].endswith("/library/team_pulse/v1"), fmt
    assert len(services.stored_versions("team_pulse")) == 1
    assert lead_client.get("/library/team_pulse/v1/download/pdf").status_code == 404
