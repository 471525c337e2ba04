"""`survey-app report CAMPAIGN_ID --format json`."""

from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.db


def test_report_prints_the_same_tallies_as_the_page(seslip_campaign, seslip_data, report):
    data = report(seslip_campaign.id)
    satisfaction = data["questions"]["satisfaction"]
    counts = Counter(row["satisfaction"] for row in seslip_data if row["satisfaction"])
    assert satisfaction["answered"] == sum(counts.values())
    assert satisfaction["skipped"] == len(seslip_data) - sum(counts.values())
    assert {label: n for label, n in satisfaction["counts"].items() if n} == dict(counts)
    assert satisfaction["percent"]["Satisfied"] == round(
        100 * counts["Satisfied"] / sum(counts.values()), 1
    )
    assert set(data) >= {
        "questions",
        "groups",
        "crosstabs",
        "audit_summary",
        "hipo_matrix",
        "themes",
    }
    assert "aspiration_by_gender" in data["crosstabs"]
    assert data["audit_summary"] is None and data["themes"]["barriers"]["commented"] > 0


def test_unknown_campaign_is_a_clear_error(cli, app):
    result = cli.invoke(args=["report", "no-such-campaign", "--format", "json"])
    assert result.exit_code == 1
    assert "No campaign with id 'no-such-campaign'" in result.output


def test_360_campaigns_use_the_360_report(cli, make_campaign):
    campaign = make_campaign("resourceful_leader_360")
    result = cli.invoke(args=["report", campaign.id])
    try:
        from survey_app.reports.services import report_360_json  # noqa: F401
    except ImportError:
        assert result.exit_code == 1 and "360 reports are not available" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert campaign.id in result.output
