"""The home page and the health check."""

from flask import render_template, url_for
from sqlalchemy import text
from werkzeug.routing import BuildError

from ..extensions import db
from ..library.store import bundled
from . import bp


@bp.get("/")
def index():
    """What the platform is for and where to go next."""
    try:
        sign_in_url = url_for("auth.sign_in")
    except BuildError:
        sign_in_url = None
    return render_template(
        "main/index.html", instruments=bundled().values(), sign_in_url=sign_in_url
    )


@bp.get("/healthz")
def health():
    """Liveness and database reachability for load balancers."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
