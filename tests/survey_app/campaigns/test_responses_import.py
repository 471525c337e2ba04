"""Importing responses collected elsewhere: validate everything, then import all or nothing."""

import io

from sqlalchemy import func, select

from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.models import Answer, Response
from survey_app.people.services import add_participant


def response_count():
    return db.session.scalar(select(func.count()).select_from(Response))


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_cli_imports_a_360_file_with_labels_codes_and_multi_select(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="tiny_feedback")
    asha = add_participant(campaign, "Asha", "asha@example.org").participant
    db.session.commit()
    path = write(tmp_path, "r.csv",
                 "subject,relationship,listening_meetings,wants_move,move_reasons,team_size\n"
                 "ASHA@example.org,Peer,2,Yes,Pay; location,12\n"
                 "asha@example.org,peer,3,no,,\n"
                 "asha@example.org,PEER,4,no,,\n"
                 f"{asha.id},self,not observed,no,,\n")
    result = cli.invoke(args=["responses", "import", campaign.id, path])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "4"
    # Imported 360 answers wait, sealed, like answers given by link, until the window closes.
    assert response_count() == 0
    close_windows([asha])
    db.session.commit()
    peers = db.session.scalars(select(Response).where(Response.relationship == "peer")).all()
    assert len(peers) == 3 and {p.participant_id for p in peers} == {asha.id}
    answers = {frozenset((a.item_id, a.position, a.value) for a in db.session.scalars(
        select(Answer).where(Answer.response_id == peer.id))) for peer in peers}
    codes = {o.label: o.code for o in campaign_instrument(campaign).item("move_reasons").options}
    assert frozenset({("listening_meetings", 0, "2"), ("wants_move", 0, "yes"),
                      ("move_reasons", 0, codes["Pay"]), ("move_reasons", 1, codes["Location"]),
                      ("team_size", 0, "12")}) in answers


def test_cli_reports_every_bad_cell_and_imports_nothing(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="tiny_feedback")
    add_participant(campaign, "Asha", "asha@example.org")
    db.session.commit()
    path = write(tmp_path, "r.csv",
                 "subject,relationship,listening_meetings,team_size,confident\n"
                 "asha@example.org,peer,2,5,\n"
                 "nobody@example.org,peer,7,many,\n"
                 "asha@example.org,boss,1,1,\n"
                 "asha@example.org,peer,,,Agree\n")
    result = cli.invoke(args=["responses", "import", campaign.id, path])
    assert result.exit_code == 1
    out = result.output
    assert "Line 3, column 'subject': 'nobody@example.org' is not a participant" in out
    assert "Line 3, column 'listening_meetings': '7' is not one of the options" in out
    assert "Line 3, column 'team_size': 'many' is not a number" in out
    assert "Line 4, column 'relationship': 'boss' is not a relationship" in out
    assert "Line 5, column 'confident': 'confident' is not asked of raters" in out
    assert "nothing was imported" in out and "Traceback" not in out
    assert response_count() == 0


def test_a_mapping_file_renames_columns_and_ignores_the_rest(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    path = write(tmp_path, "export.csv", "Respondent ID,Your post title,Sub-region\n"
                 "17,Head of service,Kent and Medway\n18,,surrey\n19,,Surrey\n")
    mapping = write(tmp_path, "map.yaml", "Your post title: post_title\nSub-region: sub_region\n")
    result = cli.invoke(args=["responses", "import", campaign.id, path, "--mapping", mapping])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "3"
    values = sorted(db.session.scalars(select(Answer.value)))
    assert values == ["Head of service", "kent_medway", "surrey", "surrey"]


def test_unknown_columns_and_wrong_encoding_are_refused(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    bad_header = write(tmp_path, "a.csv", "post_title,favourite_colour\nX,blue\n")
    result = cli.invoke(args=["responses", "import", campaign.id, bad_header])
    assert "column 'favourite_colour': 'favourite_colour' is not a question id" in result.output
    latin = write(tmp_path, "b.csv", "post_title\nDirectrice générale\n", encoding="latin-1")
    result = cli.invoke(args=["responses", "import", campaign.id, latin])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert response_count() == 0


def test_upload_page_imports_or_lists_problems(lead_client, post_form, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    url = f"/campaigns/{campaign.id}/responses/import"
    bad = post_form(lead_client, url, {"file": (io.BytesIO(b"sub_region\nMars\n"), "r.csv")},
                    content_type="multipart/form-data")
    assert bad.status_code == 400
    assert "Line 2, column &#39;sub_region&#39;: &#39;Mars&#39; is not one of" in bad.get_data(
        as_text=True)
    few = post_form(lead_client, url, {"file": (io.BytesIO(b"sub_region\nSurrey\n"), "r.csv")},
                    content_type="multipart/form-data")
    assert few.status_code == 400 and "Import at least 3 responses" in few.get_data(as_text=True)
    assert response_count() == 0
    three = b"sub_region\nSurrey\nKent and Medway\nSurrey\n"
    good = post_form(lead_client, url, {"file": (io.BytesIO(three), "r.csv")},
                     content_type="multipart/form-data")
    assert good.status_code == 302
    assert response_count() == 3
