"""360 reports: participant reports, development plans, the cohort report, PDFs and exports."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes", "staff")
