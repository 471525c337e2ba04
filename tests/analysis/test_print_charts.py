"""Static SVG charts for PDFs: the bars and numbers are the report's, every label is escaped."""

from __future__ import annotations

import re

from analysis.print_charts import behaviour_svg, gap_svg, tally_svg
from analysis.svg_charts import wrap_lines


def _bars(svg: str) -> list[float]:
    return [
        float(width) for width in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)
    ]


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


QUESTION = {
    "prompt": "How long in post?",
    "answered": 6,
    "skipped": 1,
    "counts": {"Under a year": 2, "More than <10> years & up": 4},
    "percent": {"Under a year": 33.3, "More than <10> years & up": 66.7},
}


def test_tally_bars_are_in_proportion_with_their_numbers_written_beside_them():
    svg = str(tally_svg(QUESTION))
    assert svg.startswith("<svg") and 'aria-label="How long in post?"' in svg
    short, long = _bars(svg)
    assert abs(long - short * 2) < 0.2  # widths are written to 0.1px
    texts = _texts(svg)
    assert "2 (33.3%)" in texts and "4 (66.7%)" in texts
    assert "Respondents (answered 6, skipped 1)" in texts
    assert "More than &lt;10&gt; years &amp; up" in texts  # escaped, never markup
    assert "<10>" not in svg


def test_behaviour_chart_draws_each_published_group_and_the_target():
    result = {
        "behaviours": {
            "alpha": {
                "title": "Ability to simplify",
                "self": 3.0,
                "target": 3,
                "others": 2.75,
                "others_n": 4,
                "line_manager": 2.0,
                "groups": {"peer": {"label": "Peer", "n": 3, "mean": 3.0}},
            }
        }
    }
    svg = str(behaviour_svg(result, "alpha"))
    assert _texts(svg)[:1] == ["Ability to simplify: average level by group"]
    labels = [t for t in _texts(svg) if "(n=" in t]
    assert labels == ["You (n=1)", "Peer (n=3)", "All raters except self (n=4)"]
    you, peer, others = _bars(svg)
    assert you == peer and abs(others / you - 2.75 / 3) < 0.01
    assert "2.8" in _texts(svg) and "Target 3" in _texts(svg)


def test_gap_chart_marks_blind_spots_and_is_left_out_when_nothing_compares():
    behaviours = {
        "a": {"title": "Openness", "gap": 0.6, "flag": "blind_spot"},
        "b": {"title": "Resilience", "gap": -0.2, "flag": None},
    }
    svg = str(gap_svg({"behaviours": behaviours, "blind_spot_threshold": 0.5}))
    assert "+0.6 possible blind spot" in _texts(svg) and "-0.2" in _texts(svg)
    assert 'fill="#d4351c"' in svg
    assert gap_svg({"behaviours": {"a": {**behaviours["a"], "gap": None}}}) is None


def test_labels_wrap_at_spaces_and_keep_every_word():
    lines = wrap_lines("Creating and sustaining commitment across the system", 20)
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == "Creating and sustaining commitment across the system"
