"""The preview-and-map page: what was recognised and dropped, matching, translating, importing."""

import io
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from survey_app.auth.services import create_user
from survey_app.extensions import db
from survey_app.models import Answer, CampaignShare, ImportBatch, ImportMapping, Response

from .conftest import fixture_bytes


class FormFields(HTMLParser):
    """What a browser would send for the first form with a digest: every field's value."""

    def __init__(self):
        super().__init__()
        self.fields, self.select, self.inside = {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = "action" not in attrs
        if not self.inside:
            return
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields[attrs["name"]] = attrs.get("value", "y")
            else:
                self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs["name"]
            self.fields.setdefault(self.select, None)
        elif (
            tag == "option"
            and self.select
            and (self.fields[self.select] is None or "selected" in attrs)
        ):
            self.fields[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form":
            self.inside = False


def fields_of(page: str) -> dict:
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def upload(client, post_form, campaign, data, name="export.csv", **extra):
    url = f"/campaigns/{campaign.id}/responses/import"
    response = post_form(
        client, url, {"file": (io.BytesIO(data), name), **extra}, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def submit(client, source, changes=None, action="import"):
    """The fields of the preview form (from its URL or an HTML page), changed, and a button."""
    page = client.get(source).get_data(as_text=True) if source.startswith("/") else source
    return {**fields_of(page), **(changes or {}), action: "1"}


def post(client, url, fields):
    return client.post(url, data={k: v for k, v in fields.items() if v is not None})


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_preview_says_what_was_recognised_dropped_and_skipped(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(
        lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"), "Survey.csv"
    )
    page = lead_client.get(preview_url).get_data(as_text=True)
    assert "Recognised</dt><dd>SurveyMonkey" in page
    assert "rows 1, 2 (not imported)" in page
    assert "Never stored: 7 columns that identify people" in page
    assert "A &#39;Respondent ID&#39;, B &#39;Collector ID&#39;, E &#39;IP Address&#39;" in page
    assert "1 row with no answer in the matched columns" in page and "row 6." in page
    assert "Import 5 responses" in page
    assert "maeve.okonkwo@example.org" not in page and "192.0.2.17" not in page
    fields = fields_of(page)
    assert fields["col-9"] == "gender" and fields["col-12"] == "best_things"
    assert count(Response) == 0


def test_importing_from_the_preview_makes_a_batch_listed_on_the_import_page(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(
        lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"), "Survey.csv"
    )
    response = post(lead_client, preview_url, submit(lead_client, preview_url))
    assert response.status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    assert batch.status == "imported" and batch.staged is None
    assert batch.counts["imported"] == 5 and batch.counts["blank"] == 1
    assert count(Response) == 5
    page = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Imported 5 responses as batch {batch.source}." in page
    assert f"<code>{batch.source}</code>" in page and "Survey.csv" in page
    assert lead_client.get(preview_url).status_code == 404  # the upload is used up


def test_changing_a_choice_and_importing_at_once_shows_the_new_preview_first(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"))
    fields = submit(lead_client, preview_url, {"col-9": "", "blank": "keep"})
    response = post(lead_client, preview_url, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and count(Response) == 0
    assert "You changed some choices: check the preview below, then import." in page
    assert "Import 6 responses" in page
    response = post(lead_client, preview_url, submit(lead_client, page))
    assert response.status_code == 302 and count(Response) == 6
    assert (
        db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.item_id == "gender")
        )
        == 0
    )


def test_answers_are_translated_on_the_page_and_the_mapping_is_saved_and_reused(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(lead_client, post_form, campaign, fixture_bytes("qualtrics_seslip.csv"))
    page = lead_client.get(preview_url).get_data(as_text=True)
    assert "2. Answers that are not options" in page
    assert "“Other” for <code>gender</code> (1 row)" in page
    assert "1 survey preview or test (row 4) is never imported." in page
    fields = fields_of(page)
    number = next(k.rsplit("-", 1)[1] for k, v in fields.items() if v == "Other")
    checked = post(
        lead_client,
        preview_url,
        submit(
            lead_client,
            page,
            {f"label-code-{number}": "another_way", "save_as": "Qualtrics SESLIP"},
            action="check",
        ),
    )
    page = checked.get_data(as_text=True)
    assert "Import 4 responses" in page and "Before you can import" not in page
    response = post(
        lead_client, preview_url, submit(lead_client, page, {"save_as": "Qualtrics SESLIP"})
    )
    assert response.status_code == 302
    assert sorted(db.session.scalars(select(Answer.value).where(Answer.item_id == "gender"))) == [
        "another_way",
        "female",
        "male",
        "prefer_not_to_say",
    ]
    saved = db.session.scalar(select(ImportMapping))
    assert saved.name == "Qualtrics SESLIP" and saved.labels == {"gender": {"other": "another_way"}}
    # Next year's export from the same survey: the saved mapping answers the question.
    other = make_campaign("seslip_aspiration_survey", title="Next year")
    again = upload(
        lead_client,
        post_form,
        other,
        fixture_bytes("qualtrics_seslip.csv"),
        saved="Qualtrics SESLIP",
    )
    page = lead_client.get(again).get_data(as_text=True)
    assert "Import 4 responses" in page and "Answers that are not options" in page
    assert "Before you can import" not in page


def test_the_same_file_again_is_refused_or_replaces_the_earlier_batch(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    data = fixture_bytes("surveymonkey_seslip.csv")
    first = upload(lead_client, post_form, campaign, data)
    post(lead_client, first, submit(lead_client, first))
    second = upload(lead_client, post_form, campaign, data)
    page = lead_client.get(second).get_data(as_text=True)
    assert "This file was already imported on" in page and "count those people twice" in page
    refused = post(lead_client, second, submit(lead_client, page))
    assert refused.status_code == 400 and count(Response) == 5
    replaced = post(lead_client, second, submit(lead_client, second, {"replace": "y"}))
    assert replaced.status_code == 302 and count(Response) == 5
    page = lead_client.get(replaced.headers["Location"]).get_data(as_text=True)
    assert "was replaced" in page and "<td>replaced " in page, page[page.find("<main") :][:3000]


def test_a_batch_is_undone_after_a_confirmation(lead_client, post_form, make_campaign):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(
        lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"), "Survey.csv"
    )
    post(lead_client, preview_url, submit(lead_client, preview_url))
    batch = db.session.scalar(select(ImportBatch))
    undo_url = f"/campaigns/{campaign.id}/responses/imports/{batch.source}/undo"
    page = lead_client.get(undo_url).get_data(as_text=True)
    assert "This removes the 5 responses imported from <strong>Survey.csv</strong>" in page
    assert count(Response) == 5
    response = post_form(lead_client, undo_url)
    assert response.status_code == 302 and count(Response) == 0
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).status == "undone"


def test_a_discarded_upload_leaves_nothing_behind(lead_client, post_form, make_campaign):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"))
    response = post_form(lead_client, f"{preview_url}/cancel", get_url=preview_url)
    assert response.status_code == 302
    assert count(ImportBatch) == 0 and count(Response) == 0


def test_tampered_choices_cannot_import_identifying_columns(lead_client, post_form, make_campaign):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"))
    fields = submit(
        lead_client,
        preview_url,
        {"col-4": "best_things", "col-5": "challenges", "col-10": "<script>", "label-code-99": "x"},
        action="check",
    )
    page = post(lead_client, preview_url, fields).get_data(as_text=True)
    fields = submit(lead_client, page)
    assert post(lead_client, preview_url, fields).status_code == 302
    values = set(db.session.scalars(select(Answer.value)))
    assert not {v for v in values if "@example.org" in v or v.startswith("192.0.2.")}


def test_a_read_only_share_cannot_preview_or_import(
    client, post_form, make_campaign, sign_in, lead_client
):
    campaign = make_campaign("seslip_aspiration_survey")
    preview_url = upload(lead_client, post_form, campaign, fixture_bytes("surveymonkey_seslip.csv"))
    reader = create_user("reader@example.org", "correct horse battery")
    db.session.add(CampaignShare(campaign_id=campaign.id, user_id=reader.id))
    db.session.commit()
    lead_client.get("/sign-out")
    other = client.application.test_client()
    sign_in(other, "reader@example.org")
    assert other.get(preview_url).status_code == 403


def test_a_360_upload_needs_the_participant_and_relationship_columns(
    lead_client, post_form, make_campaign
):
    from survey_app.people.services import add_participant

    campaign = make_campaign("tiny_feedback", settings={"anonymity_threshold": 2})
    add_participant(campaign, "Asha", "asha@example.org")
    db.session.commit()
    data = (
        b"Rater email,Participant,Relationship,listening_meetings\n"
        b"pat@example.org,asha@example.org,Peer,2\nsam@example.org,asha@example.org,peer,3\n"
    )
    preview_url = upload(lead_client, post_form, campaign, data)
    page = lead_client.get(preview_url).get_data(as_text=True)
    assert "Never stored: 1 column that identifies people" in page  # the rater's email
    fields = fields_of(page)
    assert (fields["col-1"], fields["col-2"]) == ("subject", "relationship")
    missing = post(
        lead_client, preview_url, submit(lead_client, page, {"col-2": ""}, action="check")
    ).get_data(as_text=True)
    assert "Choose the column that holds the rater&#39;s relationship." in missing
    assert post(lead_client, preview_url, submit(lead_client, page)).status_code == 302
    from survey_app.mixing.services import close_windows

    close_windows(campaign.participants)
    db.session.commit()
    assert sorted(db.session.scalars(select(Response.relationship))) == ["peer", "peer"]


@pytest.mark.parametrize(
    ("name", "instrument", "tool", "rows"),
    [
        ("qualtrics_legacy_seslip.csv", "seslip_aspiration_survey", "Qualtrics", 3),
        ("qualtrics_localised_seslip.csv", "seslip_aspiration_survey", "Qualtrics", 3),
        ("qualtrics_subset_seslip.csv", "seslip_aspiration_survey", "Qualtrics", 3),
        ("surveymonkey_contact_seslip.csv", "seslip_aspiration_survey", "SurveyMonkey", 3),
        ("surveymonkey_trimmed_seslip.csv", "seslip_aspiration_survey", "SurveyMonkey", 3),
        ("ms_forms_quiz_seslip.csv", "seslip_aspiration_survey", "Microsoft Forms", 3),
        ("limesurvey_codetext_audit.csv", "skills_talent_audit", "LimeSurvey", 3),
        ("google_forms_quiz_audit.csv", "skills_talent_audit", "Google Forms", 3),
    ],
)
def test_real_export_variants_preview_on_the_page_without_anyone_in_it(
    lead_client, post_form, make_campaign, name, instrument, tool, rows
):
    campaign = make_campaign(instrument)
    preview_url = upload(lead_client, post_form, campaign, fixture_bytes(name), name)
    page = lead_client.get(preview_url).get_data(as_text=True)
    assert f"Recognised</dt><dd>{tool}" in page
    assert f"Import {rows} responses" in page
    people = re.compile(r"[a-z]+\.[a-z]+@example\.org|07700 9|R_\w{10,}|192\.0\.2\.")
    assert not people.search(page)
