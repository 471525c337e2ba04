"""`survey-app pool import|list`: every problem located, nothing imported unless all is right."""

from __future__ import annotations

import pytest

from survey_app.coaching.models import Supporter
from survey_app.extensions import db

pytestmark = pytest.mark.db

HEADER = "name,email,authority,offers,strengths,capacity,training\n"


def test_a_bad_pool_file_imports_nothing_and_says_where(cli, region, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(
        HEADER
        + "Grace Mensah,grace@example.org,Riverside,coach,Ability to simplify,2,ILM 7\n"
        + "Kofi Boateng,kofi@example.org,Riversyde,teacher,Charisma,30,\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["pool", "import", "South East", str(path)])
    assert result.exit_code != 0
    assert "Row 3, column offers: write coach, mentor or coach;mentor" in result.output
    assert "Row 3, column strengths: 'Charisma' is not one of the behaviours" in result.output
    assert "Row 3, column capacity: a whole number from 1 to 20" in result.output
    assert "nothing was imported" in result.output
    assert db.session.query(Supporter).count() == 0


def test_a_good_pool_file_is_imported_and_listed(cli, region, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(
        HEADER + "Grace Mensah,grace@example.org,riverside,coach;mentor,"
        "Ability to simplify;belief_in_their_teams,2,ILM 7\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["pool", "import", region.id, str(path)])
    assert result.exit_code == 0, result.output
    grace = db.session.query(Supporter).one()
    assert (grace.authority, grace.roles) == ("Riverside", ["coach", "mentor"])
    assert grace.strengths == ["ability_to_simplify", "belief_in_their_teams"]
    listing = cli.invoke(args=["pool", "list", "south east"]).output
    assert (
        "Grace Mensah\tRiverside\tcoach+mentor\t0/2\tAbility to simplify; Belief in their teams"
    ) in listing
    assert "no region 'Nowhere'" in cli.invoke(args=["pool", "list", "Nowhere"]).output
