"""The four-level evaluation of a cohort, checked by hand on small fixtures, with suppression."""

from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import func, select

from survey_app.campaigns.imports import ImportRefused
from survey_app.evaluation.models import Outcome
from survey_app.evaluation.outcomes import import_return
from survey_app.evaluation.services import add_questionnaire, cohort_evaluation
from survey_app.extensions import db
from survey_app.mixing.services import write_imported_batch
from survey_app.people.services import add_invitation
from survey_app.respond.services import record_submitted

pytestmark = pytest.mark.db
PEOPLE = [("Amira Hussain", 2, 3), ("Ben Okafor", 2, 2), ("Claire Davies", 3, 3)]


def _raters(level):
    # Every rater gives the same level, so others' mean is exactly that level.
    return [("line_manager", level), ("peer", level), ("peer", level), ("peer", level)]


@pytest.fixture
def before_after(make_campaign, make_participant, cohort):
    """Three people in last year's cohort and this one, confirmed as the same people."""
    earlier = make_campaign(title="Leaders 2025")

    def build(people=PEOPLE, confirm=True):
        for name, before, after in people:
            email = f"{name.split()[0].lower()}@example.org"
            then = make_participant(_raters(before), name=name, email=email, campaign=earlier)
            now = make_participant(_raters(after), name=name, email=email, campaign=cohort)
            if confirm:
                now.participant.earlier_participant_id = then.participant.id
        db.session.commit()
        return earlier

    return build


def test_behaviour_change_is_the_mean_over_participants_with_both_reports(before_after, cohort):
    earlier = before_after()
    found = cohort_evaluation(cohort, {cohort.id, earlier.id})
    assert found.pairs == 3
    row = found.behaviour[0]
    # Changes 1, 0, 0: mean 1/3, SD sqrt(1/3); t(0.975, 2 df) = 4.302653.
    assert row.change.n == 3 and row.change.value == pytest.approx(1 / 3)
    half = 4.302653 * math.sqrt(1 / 3) / math.sqrt(3)
    assert row.change.low == pytest.approx(1 / 3 - half, abs=1e-5)
    assert row.before.value == pytest.approx(7 / 3) and row.after.value == pytest.approx(8 / 3)


def test_a_viewer_who_cannot_see_the_earlier_campaign_gets_no_change(before_after, cohort):
    before_after()
    found = cohort_evaluation(cohort, {cohort.id})
    assert found.pairs == 0 and not found.behaviour[0].change.shown


def test_only_confirmed_links_and_closed_windows_count_and_below_k_is_withheld(
    before_after, make_participant, cohort
):
    earlier = before_after(PEOPLE[:2])
    # Same email in both campaigns but never confirmed: not counted.
    before_after([("Dev Sharma", 1, 4)], confirm=False)
    # Confirmed, but the earlier window is still open: no earlier report to compare.
    then = make_participant(
        _raters(1), name="Erin Walsh", email="erin@example.org", campaign=earlier, close=False
    )
    now = make_participant(_raters(4), name="Erin Walsh", email="erin@example.org", campaign=cohort)
    now.participant.earlier_participant_id = then.participant.id
    db.session.commit()
    found = cohort_evaluation(cohort, {cohort.id, earlier.id})
    assert found.pairs == 2
    assert found.behaviour[0].change.n == 2 and not found.behaviour[0].change.shown


def test_reaction_counts_only_mixed_answers(cohort, commissioner):
    module, _ = add_questionnaire(cohort, commissioner, "reaction", "Strategic commissioning")
    write_imported_batch(
        module,
        [
            (None, None, {"relevance": [str(v)], "quality": ["4"], "recommend": [r]})
            for v, r in ((5, "yes"), (4, "yes"), (3, "no"))
        ],
    )
    for _ in range(2):  # submitted but still sealed: fewer than k are waiting
        record_submitted(
            add_invitation(module).invitation,
            {"relevance": ["1"], "quality": ["1"], "recommend": ["no"]},
        )
    db.session.commit()
    found = cohort_evaluation(cohort, {cohort.id, module.id})
    (row,) = found.reaction
    assert row.title == "Strategic commissioning" and row.respondents == 3
    assert row.relevance.value == 4.0 and (row.recommend.count, row.recommend.of) == (2, 3)
    # Not visible to the viewer: not included.
    assert cohort_evaluation(cohort, {cohort.id}).reaction == []


def test_learning_compares_the_before_and_after_groups(cohort, commissioner):
    before, _ = add_questionnaire(cohort, commissioner, "before", "")
    after, _ = add_questionnaire(cohort, commissioner, "after", "")
    write_imported_batch(before, [(None, None, {"role_complexity": [v]}) for v in "223"])
    write_imported_batch(after, [(None, None, {"role_complexity": [v]}) for v in "445"])
    db.session.commit()
    found = cohort_evaluation(cohort, {cohort.id, before.id, after.id})
    complexity = found.learning[0]
    assert complexity.label.startswith("Understand the challenge and complexity")
    assert complexity.change.value == pytest.approx(2.0)
    assert found.learning_n == (3, 3)
    assert not found.learning[1].change.shown  # nobody answered that aim


def test_a_quarterly_return_is_checked_whole_before_anything_is_saved(before_after, cohort):
    before_after()
    bad = (
        b"email,outcome,new_role,effective_on\n"
        b"amira@example.org,promotd,Assistant director,2026-09-01\n"
        b"nobody@example.org,promoted,,\n"
        b"ben@example.org,appointed,Head of service,1 Sept\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_return(cohort, bad)
    assert [p.describe() for p in refused.value.problems] == [
        "Row 2, column outcome: 'promotd' is not one of promoted, appointed, acting_up, "
        "secondment; did you mean 'promoted'?",
        "Row 3, column email: 'nobody@example.org' is not a participant of this cohort",
        "Row 4, column effective_on: '1 Sept' is not a date like 2026-09-01",
    ]
    assert db.session.scalar(select(func.count()).select_from(Outcome)) == 0
    good = (
        b"email,outcome,new_role,effective_on\n"
        b"amira@example.org,promoted,Assistant director,2026-09-01\n"
        b"claire@example.org,acting up,Interim director,\n"
    )
    assert import_return(cohort, good) == 2
    found = cohort_evaluation(cohort, {cohort.id})
    assert (found.results.stepped_up.count, found.results.interim.count) == (1, 1)
    assert found.results.participants == 3


def test_the_page_shows_n_and_interval_and_withholds_below_k(lead_client, before_after, cohort):
    earlier = before_after(PEOPLE[:2])
    page = lead_client.get(f"/campaigns/{cohort.id}/evaluation").get_data(as_text=True)
    assert "for the 2 participants whose earlier 360 a commissioner confirmed" in page
    behaviour = page.split('id="behaviour-table"')[1].split("</table>")[0]
    assert "Withheld: fewer than 3" in behaviour and "data-value" not in behaviour
    assert earlier.title not in page  # only aggregates: no campaign or participant names
    assert "Amira" not in page
    csv_text = lead_client.get(f"/campaigns/{cohort.id}/evaluation.csv").get_data(as_text=True)
    assert csv_text.startswith("level,measure,group,n,n_before,value,low,high,count,of,shown")
    assert "3 behaviour,Openness to possibilities: change,,2,,,,,,,False" in csv_text


def test_the_export_command_gives_every_figure(cli, before_after, cohort, tmp_path):
    before_after()
    result = cli.invoke(args=["evaluation", "export", cohort.id])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["participants_with_before_and_after"] == 3 and data["k"] == 3
    change = next(f for f in data["figures"] if f["measure"] == "Openness to possibilities: change")
    assert change["n"] == 3 and change["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert cli.invoke(args=["evaluation", "export", "nope"]).exit_code != 0
    pdf = tmp_path / "evaluation.pdf"
    assert (
        cli.invoke(
            args=["evaluation", "export", cohort.id, "--format", "pdf", "--output", str(pdf)]
        ).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_evaluation_pdf_draws_the_change_chart(lead_client, before_after, cohort, monkeypatch):
    # Before: the PDF had the tables only.
    from tests.pdf_text import pdf_and_html, pdf_text, squeezed, svg_named

    before_after()
    data, html = pdf_and_html(monkeypatch, lead_client, f"/campaigns/{cohort.id}/evaluation.pdf")
    chart = svg_named(html, "Change in others' level, before to after")
    half = 4.302653 * math.sqrt(1 / 3) / math.sqrt(3)
    figures = f"+0.33 ({1 / 3 - half:.2f} to {1 / 3 + half:.2f})"
    assert f">{figures}</text>" in chart  # changes 1, 0, 0 on the first behaviour
    assert chart.count("<circle") == 8 and 'id="behaviour-table"' in html
    assert squeezed("Change in others' level, before to after") in squeezed(pdf_text(data))


def test_adding_a_questionnaire_shows_its_link_once_and_a_reload_adds_nothing(
    cohort, lead_client, post_form
):
    from sqlalchemy import func, select

    from survey_app.models import Campaign

    before = db.session.scalar(select(func.count()).select_from(Campaign))
    url = f"/campaigns/{cohort.id}/evaluation/questionnaires"
    added = post_form(
        lead_client,
        url,
        {"stage": "reaction", "module": "Finance"},
        get_url=f"/campaigns/{cohort.id}/evaluation",
    )
    assert added.status_code == 302 and added.headers["Location"].endswith(url)
    page = lead_client.get(url).get_data(as_text=True)
    assert "http://localhost/o/" in page and "This link is shown once" in page
    again = lead_client.get(url).get_data(as_text=True)
    assert "http://localhost/o/" not in again and "Nothing was added twice" in again
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == before + 1
