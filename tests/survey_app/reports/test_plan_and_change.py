"""Development plans (validation, saving, cohort counts) and change between two campaigns."""

from __future__ import annotations

from datetime import timedelta

from survey_app.extensions import db
from survey_app.models import today

RATERS = [("self", 3), ("line_manager", 2), ("peer", 3), ("peer", 2), ("peer", 4)]
LATER = (today() + timedelta(days=90)).isoformat()


def goal(index, behaviour="", actions="", review_on="", support=()):
    fields = {
        f"goals-{index}-behaviour": behaviour,
        f"goals-{index}-actions": actions,
        f"goals-{index}-review_on": review_on,
    }
    if support:
        fields[f"goals-{index}-support"] = list(support)
    return fields


def test_plan_needs_two_distinct_complete_goals(client, make_participant, post_form):
    link = make_participant(RATERS)
    url = f"/p/{link.token}/plan"
    page = client.get(url).get_data(as_text=True)
    assert "Openness to possibilities" in page and "Coaching" in page

    one = post_form(client, url, goal(0, "ability_to_simplify", "Write one-page briefs", LATER))
    assert "Choose at least 2 behaviours to work on" in one.get_data(as_text=True)
    assert 'href="#goals-1-behaviour"' in one.get_data(as_text=True)

    bad = post_form(
        client,
        url,
        {
            **goal(0, "ability_to_simplify", "Write one-page briefs", LATER),
            **goal(1, "ability_to_simplify", "", "2001-01-01"),
            **goal(2, "", "An action with no behaviour"),
        },
    )
    assert "review date as a real date" in post_form(
        client,
        url,
        {
            **goal(0, "ability_to_simplify", "Briefs", "31/02/2027"),
            **goal(1, "ability_to_collaborate", "Chair", LATER),
        },
    ).get_data(as_text=True)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200
    for message in (
        "Choose a different behaviour for each goal",
        "Enter what you will do",
        "The review date must be in the future",
        "Choose the behaviour this goal is about",
    ):
        assert message in text
    db.session.refresh(link.participant)
    assert link.participant.development_plan is None


def test_saved_plan_shows_on_report_and_counts_on_cohort(
    client, lead_client, make_participant, post_form
):
    link = make_participant(RATERS)
    response = post_form(
        client,
        f"/p/{link.token}/plan",
        {
            **goal(
                0, "ability_to_simplify", "Write one-page briefs", LATER, ("coaching", "mentoring")
            ),
            **goal(
                1,
                "ability_to_collaborate",
                "Chair the partnership group",
                LATER,
                ("coaching", "shadowing"),
            ),
        },
    )
    assert response.status_code == 302
    db.session.refresh(link.participant)
    goals = link.participant.development_plan["goals"]
    assert [g["behaviour"] for g in goals] == ["ability_to_simplify", "ability_to_collaborate"]
    report = client.get(f"/p/{link.token}/report").get_data(as_text=True)
    assert "Chair the partnership group" in report
    assert "Coaching, Shadowing a senior leader" in report

    cohort = (
        lead_client.get(f"/campaigns/{link.participant.campaign_id}/cohort.csv?table=support")
        .get_data(as_text=True)
        .splitlines()
    )
    # coaching is wanted in both goals but by one participant
    assert "Coaching,1" in cohort and "Mentoring,1" in cohort and "Placement or" not in cohort
    assert "A placement or secondment,0" in cohort


def test_change_since_an_earlier_campaign_once_a_commissioner_confirms_the_person(
    app, lead_client, make_campaign, make_participant, post_form
):
    first = make_campaign(title="Cohort 2025")
    earlier = make_participant(
        [("line_manager", 1), ("peer", 2), ("peer", 2), ("peer", 1)],
        campaign=first,
        email="Amira@Example.org",
    )
    second = make_campaign(title="Cohort 2026")
    link = make_participant(RATERS, campaign=second)
    participant_view = app.test_client()
    # The same email is only a suggestion: nothing is compared until someone confirms it.
    assert "Change since" not in participant_view.get(f"/p/{link.token}/report").get_data(
        as_text=True
    )
    staff_url = f"/campaigns/{second.id}/participants/{link.participant.id}/report"
    staff_page = lead_client.get(staff_url).get_data(as_text=True)
    assert "Compare with an earlier campaign?" in staff_page and "Cohort 2025" in staff_page
    post_form(
        lead_client,
        f"/campaigns/{second.id}/participants/{link.participant.id}/earlier",
        {"earlier": earlier.participant.id},
        get_url=staff_url,
    )
    for page in (
        participant_view.get(f"/p/{link.token}/report").get_data(as_text=True),
        lead_client.get(staff_url).get_data(as_text=True),
    ):
        assert "Change since Cohort 2025" in page
        change = page.split('id="change-table"')[1].split("</table>")[0]
        # others' mean was 6 / 4 and is now 11 / 4
        assert "1.5 (n=4)" in change and "2.8 (n=4)" in change and "+1.2" in change


def test_the_participant_sees_change_only_from_a_report_released_to_them(
    app, lead_client, make_campaign, make_participant, post_form
):
    earlier = make_participant(
        [("line_manager", 1), ("peer", 2), ("peer", 2), ("peer", 1)],
        campaign=make_campaign(title="Cohort 2025"),
        released=False,
    )
    second = make_campaign(title="Cohort 2026")
    link = make_participant(RATERS, campaign=second)
    link.participant.earlier_participant_id = earlier.participant.id
    db.session.commit()
    assert "Change since" not in app.test_client().get(f"/p/{link.token}/report").get_data(
        as_text=True
    )
    staff = lead_client.get(f"/campaigns/{second.id}/participants/{link.participant.id}/report")
    assert "Change since Cohort 2025" in staff.get_data(as_text=True)


def test_no_change_section_for_someone_else(client, make_campaign, make_participant):
    make_participant(
        [("line_manager", 1), ("peer", 2), ("peer", 2), ("peer", 1)],
        campaign=make_campaign(title="Cohort 2025"),
        email="ben@example.org",
    )
    link = make_participant(RATERS, campaign=make_campaign(title="Cohort 2026"))
    assert "Change since" not in client.get(f"/p/{link.token}/report").get_data(as_text=True)


def test_plan_dates_are_typed_as_the_hint_says_and_errors_come_first(
    client, make_participant, post_form
):
    link = make_participant(RATERS)
    url = f"/p/{link.token}/plan"
    page = client.get(url).get_data(as_text=True)
    # One format, as the hint says: no browser date picker showing its own format instead.
    assert "For example, 31 3 2027" in page and 'type="date"' not in page
    assert "2027-03-31" not in page
    bad = post_form(
        client,
        url,
        {
            **goal(0, "ability_to_simplify", "Briefs", "31 2 2027"),
            **goal(1, "ability_to_collaborate", "Chair", LATER),
        },
    )
    text = bad.get_data(as_text=True)
    assert "<title>Error: Development plan" in text
    main = text.split('<main id="main-content"', 1)[1]
    # The summary comes first in main, above the caption and heading, and takes focus.
    assert main.index('class="error-summary"') < main.index("<h1")
    assert main.index('class="error-summary"') < main.index('class="caption"')
    assert "autofocus" in main.split('class="error-summary"', 1)[1].split(">", 1)[0]
    assert "Enter the review date as a real date, for example 31 3 2027" in text
    assert 'value="31 2 2027"' in text  # what was typed comes back to be corrected
    when = today() + timedelta(days=60)
    saved = post_form(
        client,
        url,
        {
            **goal(0, "ability_to_simplify", "Briefs", f"{when.day}/{when.month}/{when.year}"),
            **goal(1, "ability_to_collaborate", "Chair", f"{when.day} {when.month} {when.year}"),
        },
    )
    assert saved.status_code == 302
    db.session.refresh(link.participant)
    assert [g["review_on"] for g in link.participant.development_plan["goals"]] == [
        when.isoformat()
    ] * 2
    again = client.get(url).get_data(as_text=True)
    assert f'value="{when.day} {when.month} {when.year}"' in again
