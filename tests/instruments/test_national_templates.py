"""The national framework's four templates load, and say what the seed (001_*) says."""

from __future__ import annotations

import re

import pytest

from instruments import bundled_instruments, load_instrument
from tests.paths import INSTRUMENTS, SEEDS

TEMPLATES = (
    "workforce_practice",
    "demand_template",
    "regional_supply_matrix",
    "pi_quarterly_return",
)


@pytest.fixture(scope="module")
def seed() -> str:
    found = sorted(SEEDS.glob("001_*.txt"))
    if not found:
        pytest.skip("the seed documents are not here")
    return " ".join(found[0].read_text(encoding="utf-8").replace("’", "'").split())


@pytest.mark.parametrize("key", TEMPLATES)
def test_each_template_loads_from_its_file_and_is_bundled(key):
    instrument = load_instrument(INSTRUMENTS / "library" / f"{key}.yaml")
    assert instrument.key == key and instrument.kind == "survey"
    assert key in bundled_instruments()
    header = (INSTRUMENTS / "library" / f"{key}.yaml").read_text(encoding="utf-8")
    assert header.startswith("# ") and "seed 001_*" in header.split("\nkey:")[0]


def test_practice_grids_share_the_templates_eight_rows(seed):
    practice = bundled_instruments()["workforce_practice"]
    grids = [
        practice.item(i) for i in ("implemented", "all_management_roles", "tailored", "maturity")
    ]
    assert all(g.type == "grid" and g.rows == grids[0].rows for g in grids)
    assert len(grids[0].rows) == 8 and grids[0].required
    for row in grids[0].rows:
        assert row.label in seed, row.label  # the practice as the seed prints it


def test_demand_rows_carry_the_seeds_fields_and_keys(seed):
    posts = bundled_instruments()["demand_template"].item("senior_posts")
    assert [f.id for f in posts.fields] == [
        "post",
        "salary",
        "vacancy",
        "recruitment",
        "development",
        "restructure",
    ]
    fields = {f.id: f for f in posts.fields}
    assert [o.code for o in fields["vacancy"].options] == ["H", "M", "L"]
    assert [o.code for o in fields["recruitment"].options] == ["1", "2", "3"]
    assert [o.code for o in fields["development"].options] == ["I", "P", "S"]
    for field in ("vacancy", "recruitment", "development"):
        for option in fields[field].options:
            # The seed's key: "H: Vacancy likely within 12 months", "3. Difficult – ...".
            code, text = option.label.split(": ", 1)
            assert re.search(rf"{code}[:.] {re.escape(text)}", seed), option.label


def test_pi_tables_have_the_eight_measures_by_baseline_and_quarter_with_the_definitions(seed):
    pi = bundled_instruments()["pi_quarterly_return"]
    for item_id in ("pi_first_tier", "pi_second_tier"):
        table = pi.item(item_id)
        assert table.type == "number_table" and table.percent_of == "posts" and table.whole
        assert [r.code for r in table.rows][1:] == [
            "vacancies",
            "advertised",
            "applicants",
            "shortlisted",
            "filled_permanent",
            "not_filled_permanent",
            "readvertised",
            "active_contacts",
        ]
        assert [c.label for c in table.columns] == ["2009/10 Baseline", "Q1", "Q2", "Q3", "Q4"]
        # Every definition is the seed's, word for word: each sentence of the help is in it.
        for sentence in re.split(r"(?<=\.) (?=[A-Z])", table.help):
            for part in sentence.rsplit(": ", 1):  # "<heading>: <first sentence>"
                assert part in seed, part
    assert (
        "Vacancies should be counted from the date that the post is vacated."
        in pi.item("pi_first_tier").help
    )
    assert len(pi.item("region").options) == 9
