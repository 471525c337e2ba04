"""Report pages are compressed and load plotly.js by its versioned URL; downloads stay as is."""

from __future__ import annotations

import gzip
import io
import re
import zipfile

import brotli

RATERS = [("self", 3), ("line_manager", 2), ("peer", 3), ("peer", 2), ("peer", 4)]
BOTH = {"Accept-Encoding": "gzip, br"}


def test_the_cohort_page_is_compressed_and_draws_from_the_versioned_bundle(
    lead_client, make_participant
):
    link = make_participant(RATERS)
    response = lead_client.get(f"/campaigns/{link.participant.campaign_id}/cohort", headers=BOTH)
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    page = brotli.decompress(response.data).decode()
    assert "data-figure=" in page  # the heat map's chart
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    plotly = [src for src in scripts if "plotly" in src]
    assert len(plotly) == 1 and re.fullmatch(
        r"/vendor/plotly-[\w.]+-[0-9a-f]{16}/plotly\.min\.js", plotly[0]
    )
    assert all(src.startswith("/") and not src.startswith("//") for src in scripts)  # no CDN
    bundle = lead_client.get(plotly[0], headers=BOTH)
    assert bundle.status_code == 200
    assert bundle.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"plotly" in brotli.decompress(bundle.data)[:2000].lower()


def test_the_participant_report_loads_plotly_by_its_versioned_url(client, make_participant):
    link = make_participant(RATERS)
    page = client.get(f"/p/{link.token}/report").get_data(as_text=True)
    assert 'class="chart' in page
    assert re.search(r'src="/vendor/plotly-[\w.]+-[0-9a-f]{16}/plotly\.min\.js"', page)


def test_downloads_are_not_compressed_again(lead_client, make_participant):
    link = make_participant(RATERS)
    campaign = link.participant.campaign_id
    # XLSX is a zip already: compressing it again costs time and saves nothing.
    url = f"/campaigns/{campaign}/cohort.xlsx"
    packed = lead_client.get(url, headers=BOTH)
    assert packed.status_code == 200
    assert len(packed.data) > 1024  # big enough that size alone would not spare it
    assert "Content-Encoding" not in packed.headers
    # Still the workbook itself (its zip entries carry the time, so two downloads may differ).
    with zipfile.ZipFile(io.BytesIO(packed.data)) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()


def test_json_reports_are_compressed_to_the_same_bytes(lead_client, make_participant):
    link = make_participant(RATERS)
    url = f"/campaigns/{link.participant.campaign_id}/report.json"
    plain = lead_client.get(url)
    packed = lead_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
