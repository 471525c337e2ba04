"""Plotly charts in pages: figures travel as JSON and are drawn by a static script (CSP-safe)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, redirect, url_for
from markupsafe import Markup, escape
from werkzeug.wrappers import Response as BaseResponse

from ..assets import IMMUTABLE, cacheable
from . import bp

# `make install` puts plotly.js's cartesian-only bundle here (bar, scatter, heat map: every trace
# the app draws; a third of the full bundle's size) when npm can fetch it, named by its version.
VENDOR = Path(sys.prefix) / "share" / "survey-app" / "vendor"


@lru_cache(maxsize=1)
def _full_bundle() -> Path:
    # plotly is imported here and in figure_json, not at the top: it takes a second to load and
    # most commands and pages never draw a chart.
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=1)
def plotly_js_version() -> str:
    """The version of plotly.js inside the installed plotly package (its figures' dialect)."""
    with _full_bundle().open("rb") as bundle:
        head = bundle.read(200).decode("ascii", "replace")
    found = re.search(r"plotly\.js v(\d[\w.-]*)", head)
    return found.group(1) if found else "unknown"


def bundle_path() -> Path:
    """The plotly.js file pages load: PLOTLY_JS if set, else the cartesian bundle, else the full."""
    configured = current_app.config.get("PLOTLY_JS")
    if configured:
        return Path(configured)
    # Only a cartesian bundle of the same plotly.js version draws plotly.py's figures as it means.
    cartesian = VENDOR / f"plotly-cartesian-{plotly_js_version()}.min.js"
    return cartesian if cartesian.is_file() else _full_bundle()


@lru_cache(maxsize=4)
def _bundle(path: str, mtime_ns: int) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


def _current_bundle() -> tuple[bytes, str, float]:
    path = bundle_path()
    stat = os.stat(path)
    data, digest = _bundle(str(path), stat.st_mtime_ns)
    return data, digest, stat.st_mtime


def plotly_version_key() -> str:
    """What versions the bundle's URL: plotly.js's version and the file's content hash."""
    return f"{plotly_js_version()}-{_current_bundle()[1]}"


@bp.get("/vendor/plotly.min.js", defaults={"version": None})
@bp.get("/vendor/plotly-<version>/plotly.min.js")
def plotly_js(version: str | None) -> BaseResponse:
    """plotly.js from the installed packages (never a CDN), kept a year at its versioned URL."""
    data, digest, mtime = _current_bundle()
    if version is None:
        # The old address still works (pages from before the versioned one), revalidated daily.
        cache_control = "public, max-age=86400"
    elif version == f"{plotly_js_version()}-{digest}":
        cache_control = IMMUTABLE
    else:
        # A page cached from before an upgrade: send it to today's bundle.
        return redirect(url_for("charts.plotly_js"))
    return cacheable(Response(data, mimetype="text/javascript"), digest, mtime, cache_control)


def register_plotly_urls(app: Flask) -> None:
    """url_for('charts.plotly_js') gives the versioned, immutable address."""

    @app.url_defaults
    def version_plotly_url(endpoint: str | None, values: dict) -> None:
        if endpoint == "charts.plotly_js" and "version" not in values:
            values["version"] = plotly_version_key()


def figure_json(figure) -> str:
    """A figure (plotly Figure or dict) as JSON for the page's data attribute."""
    import plotly.utils

    data = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    layout = dict(data.get("layout") or {})
    # plotly.py embeds its whole default theme (~10 kB) in every figure; plotly.js needs none of it.
    layout.pop("template", None)
    return json.dumps(
        {"data": data.get("data", []), "layout": layout}, cls=plotly.utils.PlotlyJSONEncoder
    )


def chart_div(figure, label: str) -> Markup:
    """A placeholder the chart script fills; `label` names the chart for screen readers."""
    if current_app.config.get("CHARTS_DISABLED"):
        return Markup("")
    return Markup(
        '<div class="chart no-print" role="img" aria-label="{}" data-figure="{}"></div>'
    ).format(escape(label), figure_json(figure))
