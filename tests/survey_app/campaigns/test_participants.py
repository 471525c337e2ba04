"""Participants one by one and from CSV (all or nothing), raters, and links for a mail-merge."""

import csv
import io

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Invitation, Participant
from survey_app.people.services import (
    add_invitation,
    add_participant,
    find_invitation,
    find_participant,
)

GOOD_CSV = (
    "name,email,organisation,current role,aspired role\n"
    "Asha Patel,asha@example.org,Kent,Team manager,head_of_service\n"
    "Ben Ortiz,BEN@example.org,Surrey,Service manager,Assistant director (tier 2)\n"
)


def upload(client, post_form, campaign, content: bytes):
    url = f"/campaigns/{campaign.id}/participants/upload"
    return post_form(
        client,
        url,
        {"file": (io.BytesIO(content), "people.csv")},
        content_type="multipart/form-data",
    )


def participant_count():
    return db.session.scalar(select(func.count()).select_from(Participant))


def test_add_one_participant_shows_their_link_once(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/participants/new",
        {"name": "Asha Patel", "email": "asha@example.org", "aspired_role": "director"},
    )
    # Post/redirect/get: the link is shown on the page the post redirects to.
    assert response.status_code == 302
    shown = lead_client.get(response.headers["Location"])
    page = shown.get_data(as_text=True)
    token = page.split("http://localhost/p/")[1].split("<")[0]
    assert find_participant(token).name == "Asha Patel"
    assert find_participant(token).aspired_role == "director"
    # Reloading the page neither posts again nor shows the link a second time.
    again = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "shown only once" in again and token not in again
    assert "already a participant" not in again and participant_count() == 1


def test_upload_adds_everyone_with_roles_matched_by_id_or_label(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign()
    response = upload(lead_client, post_form, campaign, GOOD_CSV.encode())
    assert response.status_code == 302
    people = {p.email: p for p in db.session.scalars(select(Participant))}
    assert set(people) == {"asha@example.org", "ben@example.org"}
    assert people["ben@example.org"].aspired_role == "assistant_director"
    assert people["asha@example.org"].current_role == "Team manager"


def test_a_missing_column_refuses_the_whole_file(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    response = upload(lead_client, post_form, campaign, b"name,organisation\nAsha,Kent\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "column &#39;email&#39;: required column is missing" in page
    assert participant_count() == 0


def test_bad_rows_are_reported_line_by_line_and_nothing_is_imported(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign()
    add_participant(campaign, "Existing", "old@example.org")
    db.session.commit()
    content = (
        b"name,email,aspired_role\n"
        b"Good Person,good@example.org,\n"
        b"Bad Email,not-an-email,\n"
        b"Dup One,dup@example.org,\n"
        b",dup@example.org,\n"
        b"Old,old@example.org,emperor\n"
    )
    page = upload(lead_client, post_form, campaign, content).get_data(as_text=True)
    assert "Row 3, column B &#39;email&#39;: &#39;not-an-email&#39; is not a valid" in page
    assert "Row 5, column B &#39;email&#39;: dup@example.org is also on row 4" in page
    assert "Row 5, column A &#39;name&#39;: a name is needed" in page
    assert "Row 6, column B &#39;email&#39;: old@example.org is already a participant" in page
    assert "Row 6, column C &#39;aspired_role&#39;: &#39;emperor&#39; is not a role" in page
    assert "Row 2" not in page
    assert participant_count() == 1


def test_a_windows_1252_file_from_excel_is_read_as_such(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    content = "name,email\r\nZoë Brontë,zoe@example.org\r\n".encode("cp1252")
    assert upload(lead_client, post_form, campaign, content).status_code == 302
    assert db.session.scalar(select(Participant.name)) == "Zoë Brontë"


def test_a_file_in_no_known_encoding_is_refused_with_advice(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    content = b"name,email\nZo\x81 Bront\x8d,zoe@example.org\n"  # undefined in Windows-1252
    page = upload(lead_client, post_form, campaign, content).get_data(as_text=True)
    assert "Row 2: the file is neither UTF-8, UTF-16 nor Windows-1252" in page
    assert "CSV UTF-8" in page
    assert participant_count() == 0


def test_commissioner_adds_a_rater_and_sees_counts_not_names_for_groups(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign()
    participant = add_participant(campaign, "Asha", "asha@example.org").participant
    peer = add_invitation(campaign, participant, "peer", "Priya Peer").invitation
    peer.status = "completed"
    db.session.commit()
    url = f"/campaigns/{campaign.id}/participants/{participant.id}"
    response = post_form(
        lead_client,
        f"{url}/raters",
        {"name": "Lee Manager", "email": "lee@example.org", "relationship": "line_manager"},
        get_url=url,
        follow_redirects=True,
    )
    assert response.request.method == "GET" and len(response.history) == 1
    token = response.get_data(as_text=True).split("http://localhost/r/")[1].split("<")[0]
    assert find_invitation(token).relationship == "line_manager"
    page = lead_client.get(url).get_data(as_text=True)
    assert "Lee Manager" in page
    assert "Priya Peer" not in page


def test_download_links_reissues_unfinished_links_only(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    first = add_participant(campaign, "Asha", "asha@example.org")
    waiting = add_invitation(campaign, first.participant, "peer", "Pat", "pat@example.org")
    done = add_invitation(campaign, first.participant, "peer", "Done", "done@example.org")
    done.invitation.status = "completed"
    db.session.commit()
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/links.csv",
        get_url=f"/campaigns/{campaign.id}/links",
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["link_for"], r["name"], r["relationship"]) for r in rows] == [
        ("participant", "Asha", "self"),
        ("rater", "Pat", "peer"),
    ]
    assert find_participant(first.token) is None and find_invitation(waiting.token) is None
    new_token = rows[1]["url"].rsplit("/r/", 1)[1]
    assert find_invitation(new_token).name == "Pat"
    assert rows[1]["participant"] == "Asha" and rows[1]["email"] == "pat@example.org"


def test_make_two_hundred_survey_links(lead_client, post_form, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    response = post_form(lead_client, f"/campaigns/{campaign.id}/links", {"count": "200"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 200 and len({r["url"] for r in rows}) == 200
    assert all(find_invitation(r["url"].rsplit("/", 1)[1]) for r in rows[:3])
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 200


def test_names_in_the_links_csv_cannot_run_as_formulas(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    add_participant(campaign, '=HYPERLINK("http://evil")', "x@example.org")
    db.session.commit()
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/links.csv",
        get_url=f"/campaigns/{campaign.id}/links",
    )
    row = next(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["name"].startswith("'=")


def test_roles_by_key_or_label_in_any_case_and_other_columns_ignored_with_a_warning(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign()
    content = (
        "ID,Start time,Full name,Email address,Job title,Role they aspire to\n"
        "1,2025-03-04,Asha Patel,asha@example.org,Team manager,ASSISTANT_DIRECTOR\n"
        "2,2025-03-04,Ben Ortiz,ben@example.org,Head of service,assistant director\n"
        "3,2025-03-05,Cleo Ng,cleo@example.org,Service manager,"
        "Head of\u00a0service (tier 3)\n"
    ).encode()
    response = upload(lead_client, post_form, campaign, content)
    assert response.status_code == 302
    page = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Column A &#39;ID&#39; was ignored" in page
    assert "Column B &#39;Start time&#39; was ignored" in page
    roles = {
        p.name: (p.aspired_role, p.current_role) for p in db.session.scalars(select(Participant))
    }
    assert roles == {
        "Asha Patel": ("assistant_director", "Team manager"),
        "Ben Ortiz": ("assistant_director", "Head of service"),
        "Cleo Ng": ("head_of_service", "Service manager"),
    }


def test_an_unknown_role_lists_the_roles_as_people_read_them(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    page = upload(
        lead_client, post_form, campaign, b"name,email,aspired_role\nAsha,asha@example.org,Chief\n"
    ).get_data(as_text=True)
    assert (
        "&#39;Chief&#39; is not a role; use one of: Team or first-line manager "
        "(team_manager); Head of service (tier 3) (head_of_service)"
    ) in page


def test_the_templates_download_and_a_filled_in_workbook_uploads(
    lead_client, post_form, make_campaign
):
    from openpyxl import load_workbook

    campaign = make_campaign()
    csv_template = lead_client.get(f"/campaigns/{campaign.id}/participants/template.csv")
    assert csv_template.data == b"\xef\xbb\xbfname,email,organisation,current_role,aspired_role\r\n"
    xlsx = lead_client.get(f"/campaigns/{campaign.id}/participants/template.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert [c.value for c in book["Participants"][1]] == [
        "name",
        "email",
        "organisation",
        "current_role",
        "aspired_role",
    ]
    assert [r[0].value for r in book["Roles"].iter_rows(min_row=2)] == [
        "Team or first-line manager",
        "Head of service (tier 3)",
        "Assistant director (tier 2)",
        "Director of children's services (tier 1)",
    ]
    sheet = book["Participants"]
    sheet.append(
        [
            "Dana Fox",
            "dana@example.org",
            "Westshire",
            "Team manager",
            "Director of children's services (tier 1)",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    url = f"/campaigns/{campaign.id}/participants/upload"
    response = post_form(
        lead_client,
        url,
        {"file": (io.BytesIO(out.getvalue()), "people.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Participant.aspired_role)) == "director"
    assert lead_client.get(f"/campaigns/{campaign.id}/participants/template.pdf").status_code == 404


def test_one_participant_uploaded_is_counted_in_the_singular(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    one = "name,email\nAsha Patel,asha@example.org\n"
    response = upload(lead_client, post_form, campaign, one.encode())
    page = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added 1 participant. Download" in page and "1 participants" not in page
    assert "<caption>1 participant</caption>" in page


def test_a_rater_refused_comes_back_with_the_error_first_and_what_was_typed(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign()
    person = add_participant(campaign, "Asha", "asha@example.org").participant
    db.session.commit()
    url = f"/campaigns/{campaign.id}/participants/{person.id}"
    response = post_form(
        lead_client,
        f"{url}/raters",
        {"name": "Lee Manager", "email": "not-an-email", "relationship": "line_manager"},
        get_url=url,
    )
    assert response.status_code == 400  # shown again, not redirected with the form emptied
    page = response.get_data(as_text=True)
    main = page.split('<main id="main-content"', 1)[1]
    assert main.index('class="error-summary"') < main.index("<h1")
    assert 'href="#email"' in main and "<title>Error:" in page
    assert 'value="Lee Manager"' in main and 'value="not-an-email"' in main
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.name == "Lee Manager")
        )
        == 0
    )


def test_the_window_closing_date_is_typed_as_its_hint_says(lead_client, post_form, make_campaign):
    from datetime import timedelta

    from survey_app.models import today

    campaign = make_campaign()
    person = add_participant(campaign, "Asha", "asha@example.org").participant
    db.session.commit()
    url = f"/campaigns/{campaign.id}/participants/{person.id}"
    page = lead_client.get(url).get_data(as_text=True)
    assert "For example, 31 3 2027" in page and 'type="date"' not in page
    when = today() + timedelta(days=30)
    saved = post_form(
        lead_client,
        f"{url}/window/date",
        {"closes_on": f"{when.day} {when.month} {when.year}"},
        get_url=url,
    )
    assert saved.status_code == 302
    db.session.refresh(person)
    assert person.window_closes_on == when
    assert f'value="{when.day} {when.month} {when.year}"' in lead_client.get(url).get_data(
        as_text=True
    )
    bad = post_form(lead_client, f"{url}/window/date", {"closes_on": "31 2 2027"}, get_url=url)
    assert "#" not in bad.headers["Location"]  # back to the summary, not past it
    shown = lead_client.get(bad.headers["Location"]).get_data(as_text=True)
    assert "enter a real date as day, month and year, like 31 3 2027" in shown
    db.session.refresh(person)
    assert person.window_closes_on == when
