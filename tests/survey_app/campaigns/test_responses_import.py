"""Importing responses from the command line: checks, choices with counts, batches and undo."""

import io

from sqlalchemy import func, select

from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.models import Answer, ImportBatch, Response
from survey_app.people.services import add_participant

from .conftest import fixture_bytes

# Imported survey rows are a batch, and a batch needs at least k rows: two-row files need k = 2.
SMALL_BATCHES = {"anonymity_threshold": 2}


def response_count():
    return db.session.scalar(select(func.count()).select_from(Response))


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def last_line(result):
    return result.output.strip().splitlines()[-1]


def test_cli_imports_a_360_file_with_labels_codes_and_multi_select(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="tiny_feedback")
    asha = add_participant(campaign, "Asha", "asha@example.org").participant
    db.session.commit()
    path = write(
        tmp_path,
        "r.csv",
        "subject,relationship,listening_meetings,wants_move,move_reasons,team_size\n"
        "ASHA@example.org,Peer,2,Yes,Pay; location,12\n"
        "asha@example.org,peer,3,no,,\n"
        "asha@example.org,PEER,4,no,,\n"
        f"{asha.id},self,not observed,no,,\n",
    )
    result = cli.invoke(args=["responses", "import", campaign.id, path])
    assert result.exit_code == 0, result.output
    assert last_line(result) == "4"
    batch = db.session.scalar(select(ImportBatch))
    assert batch.source.startswith("imp-")
    # Imported 360 answers wait, sealed like answers given by link, until the window closes.
    assert response_count() == 0
    close_windows([asha])
    db.session.commit()
    peers = db.session.scalars(select(Response).where(Response.relationship == "peer")).all()
    assert len(peers) == 3 and {p.participant_id for p in peers} == {asha.id}
    answers = {
        frozenset(
            (a.item_id, a.position, a.value)
            for a in db.session.scalars(select(Answer).where(Answer.response_id == peer.id))
        )
        for peer in peers
    }
    codes = {o.label: o.code for o in campaign_instrument(campaign).item("move_reasons").options}
    assert (
        frozenset(
            {
                ("listening_meetings", 0, "2"),
                ("wants_move", 0, "yes"),
                ("move_reasons", 0, codes["Pay"]),
                ("move_reasons", 1, codes["Location"]),
                ("team_size", 0, "12"),
            }
        )
        in answers
    )


def test_cli_reports_every_bad_cell_by_spreadsheet_row_and_imports_nothing(
    cli, make_campaign, tmp_path
):
    campaign = make_campaign(instrument_key="tiny_feedback")
    add_participant(campaign, "Asha", "asha@example.org")
    db.session.commit()
    path = write(
        tmp_path,
        "r.csv",
        "subject,relationship,listening_meetings,team_size,confident,comments\n"
        'asha@example.org,peer,2,5,,"a\nlong\nthought"\n'
        "nobody@example.org,peer,7,many,,\n"
        "asha@example.org,boss,1,1,,\n"
        "asha@example.org,peer,,,Agree,\n",
    )
    result = cli.invoke(args=["responses", "import", campaign.id, path])
    assert result.exit_code == 1
    out = result.output
    # Row numbers are spreadsheet rows: the line breaks in row 2 do not shift them.
    assert "Row 3, column A 'subject': 'nobody@example.org' is not a participant" in out
    assert "Row 3, column D 'team_size': 'many' is not a number" in out
    assert "Row 4, column B 'relationship': 'boss' is not a relationship" in out
    assert "Row 5, column confident: 'confident' is not asked of raters" in out
    assert (
        "Row 3, column C 'listening_meetings': '7' is not one of the options of "
        "'listening_meetings'"
    ) in out
    assert "nothing was imported" in out and "Traceback" not in out
    assert response_count() == 0


def test_a_csv_mapping_renames_columns_and_the_rest_are_ignored(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="skills_talent_audit", settings=SMALL_BATCHES)
    path = write(
        tmp_path,
        "export.csv",
        "Respondent ref,Your post title,Sub-region\n"
        "17,Head of service,Kent and Medway\n18,,surrey\n",
    )
    mapping = write(
        tmp_path, "map.csv", "column,item_id\nYour post title,post_title\nSub-region,sub_region\n"
    )
    result = cli.invoke(args=["responses", "import", campaign.id, path, "--mapping", mapping])
    assert result.exit_code == 0, result.output
    assert last_line(result) == "2"
    assert sorted(db.session.scalars(select(Answer.value))) == [
        "Head of service",
        "kent_medway",
        "surrey",
    ]


def test_headers_close_to_a_question_are_suggested_and_can_be_accepted(
    cli, make_campaign, tmp_path
):
    campaign = make_campaign(instrument_key="seslip_aspiration_survey", settings=SMALL_BATCHES)
    path = write(
        tmp_path,
        "a.csv",
        "Gender:,How satisfied are you with your job role\nFemale,OK\nMale,Satisfied\n",
    )
    result = cli.invoke(args=["responses", "import", campaign.id, path])
    assert result.exit_code == 1
    assert (
        "B 'How satisfied are you with your job role' -> not imported; nearest: "
        "satisfaction" in result.output
    )
    assert "Choose at least one column that answers a question." in result.output
    accepted = cli.invoke(args=["responses", "import", campaign.id, path, "--suggested"])
    assert accepted.exit_code == 0, accepted.output
    assert "-> satisfaction" in accepted.output and "-> gender" in accepted.output
    assert sorted(db.session.scalars(select(Answer.value))) == ["3", "5", "female", "male"]


def test_a_written_mapping_is_filled_in_and_reused(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="seslip_aspiration_survey", settings=SMALL_BATCHES)
    path = write(tmp_path, "a.csv", "What is your gender?,satisfaction\nWoman,OK\nMan,Satisfied\n")
    proposed = tmp_path / "proposed.yaml"
    result = cli.invoke(
        args=[
            "responses",
            "import",
            campaign.id,
            path,
            "--preview",
            "--write-mapping",
            str(proposed),
        ]
    )
    assert result.exit_code == 0 and "Nothing was imported (--preview)." in result.output
    written = proposed.read_text()
    assert '"What is your gender?":   # nearest: gender' in written
    assert '"satisfaction": "satisfaction"' in written
    filled = written.replace(
        '"What is your gender?":   # nearest: gender', '"What is your gender?": gender'
    )
    filled += "  gender:\n    Woman: female\n    Man: male\n"
    proposed.write_text(filled)
    result = cli.invoke(
        args=[
            "responses",
            "import",
            campaign.id,
            path,
            "--mapping",
            str(proposed),
            "--save-mapping",
            "Old survey tool",
        ]
    )
    assert result.exit_code == 0, result.output
    assert sorted(db.session.scalars(select(Answer.value))) == ["3", "5", "female", "male"]
    again = write(
        tmp_path, "b.csv", "What is your gender?,satisfaction\nWoman,Dissatisfied\nMan,OK\n"
    )
    reused = cli.invoke(
        args=["responses", "import", campaign.id, again, "--saved", "Old survey tool"]
    )
    assert reused.exit_code == 0, reused.output
    assert response_count() == 4


def test_incomplete_blank_and_over_long_answers_are_counted_and_follow_the_choice(
    cli, make_campaign, tmp_path
):
    campaign = make_campaign(instrument_key="seslip_aspiration_survey", settings=SMALL_BATCHES)
    long = "x" * 2100
    path = write(tmp_path, "a.csv", f"ref,gender,barriers\n1,Female,{long}\n2,,\n3,Male,short\n")
    truncated = cli.invoke(args=["responses", "import", campaign.id, path, "--preview"])
    assert (
        "1 blank (skip) (rows 3); 1 with over-long answers (truncate) (rows 2); "
        "2 to import." in truncated.output
    )
    kept = cli.invoke(
        args=["responses", "import", campaign.id, path, "--blank", "keep", "--long", "keep"]
    )
    assert kept.exit_code == 0 and last_line(kept) == "3"
    assert long in db.session.scalars(select(Answer.value)).all()
    cut = cli.invoke(args=["responses", "import", campaign.id, path, "--replace"])
    assert cut.exit_code == 0 and last_line(cut) == "2"
    assert "x" * 2000 in db.session.scalars(select(Answer.value)).all()
    skipped = cli.invoke(
        args=["responses", "import", campaign.id, path, "--replace", "--long", "skip"]
    )
    assert last_line(skipped) == "2"
    assert not [v for v in db.session.scalars(select(Answer.value)) if v.startswith("xx")]


def test_the_same_file_twice_is_refused_unless_it_replaces_the_first(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="seslip_aspiration_survey")
    path = write(tmp_path, "sm.csv", fixture_bytes("surveymonkey_seslip.csv"))
    first = cli.invoke(args=["responses", "import", campaign.id, path])
    assert first.exit_code == 0 and response_count() == 5
    second = cli.invoke(args=["responses", "import", campaign.id, path])
    assert second.exit_code == 1
    assert "This file was already imported on" in second.output and "--replace" in second.output
    assert response_count() == 5
    replaced = cli.invoke(args=["responses", "import", campaign.id, path, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert "was replaced" in replaced.output and response_count() == 5
    statuses = sorted(db.session.scalars(select(ImportBatch.status)))
    assert statuses == ["imported", "replaced"]


def test_a_batch_is_listed_and_undone_and_then_the_file_imports_again(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="seslip_aspiration_survey")
    link_answer = Response(campaign_id=campaign.id, source="link")
    link_answer.answers = [Answer(item_id="gender", position=0, value="male")]
    db.session.add(link_answer)
    db.session.commit()
    path = write(tmp_path, "sm.csv", fixture_bytes("surveymonkey_seslip.csv"))
    cli.invoke(args=["responses", "import", campaign.id, path])
    batch = db.session.scalar(select(ImportBatch))
    listed = cli.invoke(args=["responses", "batches", campaign.id])
    assert f"{batch.source}\timported\t" in listed.output and "5 responses\tsm.csv" in listed.output
    undone = cli.invoke(args=["responses", "undo", campaign.id, batch.source])
    assert undone.exit_code == 0 and "5 responses removed" in undone.output
    # Only the batch's responses go: the answer given by link stays.
    assert response_count() == 1
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
    twice = cli.invoke(args=["responses", "undo", campaign.id, batch.source])
    assert twice.exit_code == 1 and "is undone, so there is nothing to undo" in twice.output
    assert cli.invoke(args=["responses", "undo", campaign.id, "imp-nope"]).exit_code == 1
    again = cli.invoke(args=["responses", "import", campaign.id, path])
    assert again.exit_code == 0 and response_count() == 6


def test_unreadable_files_are_refused_with_advice_and_nothing_changes(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    result = cli.invoke(
        args=[
            "responses",
            "import",
            campaign.id,
            write(tmp_path, "a.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 40),
        ]
    )
    assert result.exit_code == 1 and "old Excel (.xls) workbook" in result.output
    result = cli.invoke(
        args=["responses", "import", campaign.id, write(tmp_path, "b.csv", "post_title\n")]
    )
    assert result.exit_code == 1 and "header rows but no responses" in result.output
    assert response_count() == 0 and db.session.scalar(select(ImportBatch.id)) is None


def test_upload_page_previews_then_imports(lead_client, post_form, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    url = f"/campaigns/{campaign.id}/responses/import"
    bad = post_form(
        lead_client, url, {"file": (io.BytesIO(b""), "r.csv")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 400
    good = post_form(
        lead_client,
        url,
        {"file": (io.BytesIO(b"sub_region\nSurrey\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302 and "/responses/import/" in good.headers["Location"]
    assert response_count() == 0  # nothing is imported before the preview is confirmed


def test_a_mapping_matches_headers_whatever_their_case_spacing_and_nbsp(
    cli, make_campaign, tmp_path
):
    campaign = make_campaign(instrument_key="skills_talent_audit", settings=SMALL_BATCHES)
    path = write(
        tmp_path,
        "export.csv",
        "Your\u00a0Post  Title ,SUB-REGION\u00a0\nHead of service,Surrey\nHead of service,surrey\n",
    )
    mapping = write(tmp_path, "map.yaml", "your post title: post_title\nSub-region: sub_region\n")
    result = cli.invoke(args=["responses", "import", campaign.id, path, "--mapping", mapping])
    assert result.exit_code == 0, result.output
    assert (
        sorted(db.session.scalars(select(Answer.value))) == ["Head of service"] * 2 + ["surrey"] * 2
    )


def test_a_360_upload_keeps_the_participants_addresses_but_no_raters_addresses(make_campaign):
    # A rater's address is as identifying in a 360 upload as anywhere; only a column that holds
    # the campaign's participants' own addresses may stay, to say whom each answer is about.
    from survey_app.campaigns.batches import stage_upload

    campaign = make_campaign(instrument_key="tiny_feedback")
    add_participant(campaign, "Asha", "asha@example.org")
    add_participant(campaign, "Ben", "ben@example.org")
    db.session.commit()
    data = (
        b"Participant,Who rated,Rater e-mail,relationship,listening_meetings\n"
        b"asha@example.org,pat@example.org,pat@example.org,peer,2\n"
        b"ben@example.org,dee@example.org,dee@example.org,peer,3\n"
        b"asha@example.org,lee@example.org,lee@example.org,peer,4\n"
    )
    batch = stage_upload(campaign, data, "360.csv")
    roles = {name: role for _, name, _, role in batch.staged["columns"]}
    assert roles["Participant"] == "question" and roles["Who rated"] == "identifying"
    assert roles["Rater e-mail"] == "identifying"
    stored = repr(batch.staged)
    assert "asha@example.org" in stored
    assert not any(rater in stored for rater in ("pat@", "dee@", "lee@"))
