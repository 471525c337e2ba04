"""The baseline for load tests: a bare Flask route returning a constant, served the same way."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.route("/constant", methods=["GET", "POST"])
def constant() -> str:
    """The same short body whatever is asked (posted forms are read, as a real view would)."""
    from flask import request

    request.form.get("csrf_token")
    return "ok"
