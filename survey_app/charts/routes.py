"""Plotly charts in pages: figures travel as JSON and are drawn by a static script (CSP-safe)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, request
from markupsafe import Markup, escape

from . import bp


@lru_cache(maxsize=1)
def _plotly_bundle() -> bytes:
    # plotly is imported here and in figure_json, not at the top: it takes a second to load and
    # most commands and pages never draw a chart.
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js as shipped inside the installed plotly package (never from a CDN)."""
    response = Response(_plotly_bundle(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response.make_conditional(request)


def figure_json(figure) -> str:
    """A figure (plotly Figure or dict) as JSON for the page's data attribute."""
    import plotly.utils

    data = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    layout = dict(data.get("layout") or {})
    # plotly.py embeds its whole default theme (~10 kB) in every figure; plotly.js needs none of it.
    layout.pop("template", None)
    return json.dumps({"data": data.get("data", []), "layout": layout},
                      cls=plotly.utils.PlotlyJSONEncoder)


def chart_div(figure, label: str) -> Markup:
    """A placeholder the chart script fills; `label` names the chart for screen readers."""
    if current_app.config.get("CHARTS_DISABLED"):
        return Markup("")
    return Markup('<div class="chart no-print" role="img" aria-label="{}" data-figure="{}">'
                  "</div>").format(escape(label), figure_json(figure))
