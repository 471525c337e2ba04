"""360 reports: participant reports, development plans, the cohort report, PDFs and exports."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import routes, staff  # noqa: E402,F401  (the views attach to bp)
