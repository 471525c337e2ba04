"""A report page's charts show that participant's own frozen result."""

from __future__ import annotations

import html
import json
import re

from analysis.report_charts import levelled_chart
from survey_app.extensions import db
from survey_app.models import FrozenReport

MOSTLY_THREES = [("self", 3), ("line_manager", 3), ("peer", 3), ("peer", 3), ("peer", 3)]
MOSTLY_ONES = [("self", 4), ("line_manager", 1), ("peer", 1), ("peer", 2), ("peer", 1)]
FIGURE = re.compile(r'data-figure="([^"]*)"')


def _figures(client, link) -> list[dict]:
    page = client.get(f"/p/{link.token}/report").get_data(as_text=True)
    return [json.loads(html.unescape(found)) for found in FIGURE.findall(page)]


def test_each_participant_sees_charts_of_their_own_result(client, make_participant):
    threes = make_participant(MOSTLY_THREES, email="a@example.org")
    ones = make_participant(
        MOSTLY_ONES, name="Ben Okafor", email="b@example.org", campaign=threes.participant.campaign
    )
    for link, mostly in ((threes, 3), (ones, 1)):
        overview = _figures(client, link)[0]
        others = next(
            trace for trace in overview["data"] if trace["name"] == "All raters except self"
        )
        assert others["x"] and all(round(level) == mostly for level in others["x"])
        frozen = db.session.get(FrozenReport, link.participant.id).data["result"]
        assert overview["data"] == levelled_chart(frozen)[0]["data"]


def test_each_question_says_where_it_sits_in_the_dcs_framework(client, make_participant):
    from survey_app.campaigns.services import campaign_instrument

    link = make_participant(MOSTLY_THREES)
    instrument = campaign_instrument(link.participant.campaign)
    crosswalk = instrument.settings["crosswalk"]["facets"]
    page = html.unescape(client.get(f"/p/{link.token}/report").get_data(as_text=True))
    shown = re.findall(r'<span class="hint" data-crosswalk>In the ([^<]*)</span>', page)
    # One line per scored question (the 24 facets), each with its own Annex B elements.
    assert len(shown) == len(crosswalk) == 24
    for item_id, elements in crosswalk.items():
        assert f"Annex B): {'; '.join(elements)}" in page, item_id
