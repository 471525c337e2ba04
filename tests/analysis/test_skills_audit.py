"""Skills and talent audit: the §8 summary table and the §9 high-potential matrix."""

import pytest

from analysis.skills_audit import AREAS, audit_summary, capability_band, hipo_matrix
from instruments import bundled_instruments, parse_instrument
from instruments.settings import campaign_raw
from tests.conftest import SOUTH_EAST_OPTIONS

from .test_crosstabs import feasible_values

NAME = "Jane Example"
SUSSEX = "Sussex (East Sussex, West Sussex, Brighton and Hove)"


DEVELOPING, PROFICIENT, ADVANCED = 1, 3, 5  # the printed scale's codes


@pytest.fixture(scope="module")
def audit():
    bundled = bundled_instruments()["skills_talent_audit"]
    return parse_instrument(
        campaign_raw(bundled.raw, {"listed_options": {"sub_region": SOUTH_EAST_OPTIONS}})
    )


def person(
    sub_region="surrey",
    progression="yes",
    direction="upwards",
    ratings=(3,) * 6,
    interests=(),
    reasons=(),
):
    """One audit response built from plain answers."""
    response = {"name": [NAME], "sub_region": [sub_region], "career_progression": [progression]}
    if direction:
        response["move_direction"] = [direction]
    if reasons:
        response["reasons_not"] = list(reasons)
    response.update({area: [str(r)] for area, r in zip(AREAS, ratings, strict=False) if r})
    if interests:
        response["development_interest"] = list(interests)
    return response


def as_table(matrix):
    """The matrix in cross-tabulation shape, to check what its published figures give away."""
    cells = {r: {c: v["n"] for c, v in cols.items()} for r, cols in matrix["cells"].items()}
    return {**matrix, "cells": cells}


def row(summary, group):
    return next(r for r in summary["rows"] if r["group"] == group)


def band(*ratings):
    return capability_band(person(ratings=ratings))


def test_capability_is_the_level_given_to_at_least_half_the_areas_rated():
    d, p, a = DEVELOPING, PROFICIENT, ADVANCED
    assert band(a, a, a, p, p, d) == "advanced"  # a mean of 3.67 would have said proficient
    assert band(d, d, d, p, p, a) == "developing"  # mean 2.33, proficient by the mean
    assert band(a, a, a, d, d, d) == "proficient"  # half each way
    assert band(a, a, p, p, p, d) == "proficient"
    assert band(a, a, a, 0, 0, 0) == "advanced"  # three rated, all advanced
    assert band(a, a, 0, 0, 0, 0) is None  # fewer than 3 rated


def test_five_point_in_between_points_count_as_the_lower_level():
    assert band(4, 4, 4, 4, 4, 5) == "proficient"  # "not yet" advanced
    assert band(2, 2, 2, 3, 3, 3) == "developing"
    assert band(5, 5, 5, 4, 4, 4) == "advanced"


def test_the_file_offers_the_printed_scale_and_five_points_only_as_a_labelled_option():
    bundled = bundled_instruments()["skills_talent_audit"]
    for area in AREAS:
        item = bundled.item(area)
        assert [(o.code, o.label) for o in item.options] == [
            ("1", "Developing"),
            ("3", "Proficient"),
            ("5", "Advanced"),
        ]
    five = parse_instrument(campaign_raw(bundled.raw, {"rating_variant": "five_point"}))
    assert [o.code for o in five.item(AREAS[0]).options] == ["1", "2", "3", "4", "5"]
    label = bundled.settings["rating_variants"]["five_point"]["label"]
    assert "not the printed questionnaire" in label


def test_sub_regions_come_from_the_campaign_not_the_file():
    bundled = bundled_instruments()["skills_talent_audit"]
    assert [o.label for o in bundled.item("sub_region").options] == ["Outside the region"]
    assert "Surrey" not in repr(bundled.raw)
    listed = parse_instrument(
        campaign_raw(bundled.raw, {"listed_options": {"sub_region": SOUTH_EAST_OPTIONS}})
    )
    labels = [o.label for o in listed.item("sub_region").options]
    assert labels == [o["label"] for o in SOUTH_EAST_OPTIONS] + ["Outside the region"]
    unlisted = parse_instrument(campaign_raw(bundled.raw, {}))
    assert "sub_region" not in {item.id for item in unlisted.items}  # not asked
    assert unlisted.crosstabs == ()  # nor cross-tabulated


def test_hipo_matrix_counts_cells_and_hides_small_ones(audit):
    responses = (
        [person(ratings=(5,) * 6)] * 4  # advanced, upwards
        + [person(direction="lateral", ratings=(5,) * 6)] * 3
        + [person(progression="no", direction=None)] * 5  # proficient, not soon
        + [person(progression="not_foreseeable", direction=None)] * 1
        + [person(progression="yes", direction=None)]
    )  # direction missing
    matrix = hipo_matrix(audit, responses, k=3)
    cells = matrix["cells"]
    assert cells["Advanced"]["Upwards within two years"]["n"] == 4
    assert cells["Developing"]["Upwards within two years"]["n"] == 0
    # One person is not looking to advance: their column is hidden, zeros too, or the zeros
    # beside one hidden cell would say which band they are in (the empty Developing row aside).
    lone = [cells[band]["Not looking to advance"] for band in ("Advanced", "Proficient")]
    assert all(c["n"] is None and c["flag"] == "suppressed" for c in lone)
    assert matrix["column_totals"]["Not looking to advance"] == 1
    assert matrix["row_totals"] == {"Advanced": 7, "Proficient": 6, "Developing": 0}
    assert all(len(values) > 1 for values in feasible_values(as_table(matrix)).values())
    assert matrix["unclassified"] == 1
    assert all(c["prompt"] for r in cells.values() for c in r.values())
    assert NAME not in repr(matrix)
    assert "at least half of the areas" in matrix["cut_points"]


def test_hipo_matrix_is_withheld_when_its_totals_would_reveal_a_small_cell(audit):
    responses = [person()] * 2 + [person(progression="no", direction=None)] * 6
    matrix = hipo_matrix(audit, responses, k=3)  # everyone proficient: totals give the 2 away
    assert matrix["withheld"] and matrix["total"] == 8
    assert all(c["n"] is None for r in matrix["cells"].values() for c in r.values())
    assert set(matrix["row_totals"].values()) == {None}


def test_hipo_matrix_shows_nothing_below_k_anywhere(audit):
    responses = (
        [person(ratings=(5,) * 6)] * 2
        + [person(progression="no", direction=None)] * 6
        + [person(ratings=(5,) * 6, progression="no", direction=None)] * 4
        + [person(ratings=(1,) * 6)] * 3
        + [person()] * 3
    )
    matrix = hipo_matrix(audit, responses, k=3)
    assert not matrix["withheld"]
    shown = [c["n"] for r in matrix["cells"].values() for c in r.values() if c["n"] is not None]
    assert all(n == 0 or n >= 3 for n in shown)
    assert matrix["cells"]["Advanced"]["Upwards within two years"]["n"] is None
    assert all(len(values) > 1 for values in feasible_values(as_table(matrix)).values())


def test_summary_counts_interest_and_direction_by_sub_region(audit):
    responses = (
        [person("surrey")] * 3
        + [person("surrey", direction="lateral")] * 3
        + [person("surrey", progression="no", direction=None, reasons=("salary",))] * 4
        + [person("kent_medway")] * 4
        + [person("kent_medway", direction="lateral")] * 3
    )
    summary = audit_summary(audit, responses, {"surrey": 2, "Kent and Medway": 5}, k=3)
    surrey = row(summary, "Surrey")
    assert surrey["respondents"] == 10 and surrey["interested"] == 6
    assert (surrey["upward"], surrey["lateral"], surrey["hipo_self"]) == (3, 3, 3)
    assert surrey["hipo_organisational"] == 2
    assert surrey["reasons_not_advancing"]["Salary"] == 4
    kent = row(summary, "Kent and Medway")
    assert (kent["interested"], kent["upward"], kent["hipo_organisational"]) == (7, 4, 5)
    overall = row(summary, "All respondents")
    assert (overall["interested"], overall["upward"], overall["lateral"]) == (13, 7, 6)
    assert overall["hipo_organisational"] == 7
    assert NAME not in repr(summary)


def test_summary_hides_small_counts_and_their_complements(audit):
    responses = (
        [person("surrey")] * 4
        + [person("surrey", direction="another_sector")]
        + [person("sussex")] * 5
        + [person("kent_medway")] * 6
    )
    summary = audit_summary(audit, responses, {}, k=3)
    surrey = row(summary, "Surrey")
    assert surrey["another_sector"] is None
    # Surrey's own row (upward + lateral + another sector = interested) must not give it away
    assert surrey["upward"] is None or surrey["interested"] is None
    # nor may the column: the overall "another sector" minus the others
    column = [
        row(summary, g)["another_sector"]
        for g in ("Surrey", SUSSEX, "Kent and Medway", "All respondents")
    ]
    assert column.count(None) >= 2


def test_key_development_areas_are_the_weakest_and_need_k_people(audit):
    low_politics = (4, 4, 4, 3, 4, 1)
    responses = [person("surrey", ratings=low_politics)] * 3 + [person("sussex")] * 2
    summary = audit_summary(audit, responses, {}, k=3)
    assert row(summary, "Surrey")["key_development_areas"] == [
        "Partnership working",
        "Managing the political and corporate context",
    ]
    assert row(summary, SUSSEX)["key_development_areas"] is None


def test_development_opportunities_use_the_summary_groupings(audit):
    responses = (
        [person(interests=("coaching", "mentoring"))] * 3
        + [person(interests=("placement",))] * 3
        + [person(interests=("secondment", "work_shadowing"))] * 3
    )
    opportunities = row(audit_summary(audit, responses, {}, k=3), "Surrey")[
        "development_opportunities"
    ]
    assert opportunities == {
        "Action learning": 0,
        "Coaching/ mentoring": 3,
        "Placement/ secondment": 6,
        "Work shadowing": 3,
    }


def test_reasons_only_count_people_not_looking_to_advance(audit):
    responses = [person(progression="no", direction=None, reasons=("personal_reasons",))] * 3 + [
        person(reasons=("personal_reasons",))
    ] * 3  # stale answers of a "yes"
    reasons = row(audit_summary(audit, responses, {}, k=3), "Surrey")["reasons_not_advancing"]
    assert reasons["Personal reasons"] == 3
