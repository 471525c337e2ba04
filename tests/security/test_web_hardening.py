"""CSRF on every form, strict headers, no inline script, escaping, safe uploads and exports."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Answer, Response
from survey_app.people.services import add_participant
from tests.paths import SURVEY_APP

pytestmark = pytest.mark.db
TEMPLATES = SURVEY_APP / "templates"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_every_form_post_without_a_valid_csrf_token_is_refused(client, world, kit):
    kit.sign_in(client, "lead@example.org")
    before = kit.fingerprint()
    posts = [
        (rule, m)
        for audience in ("public", "token", "commissioner", "admin")
        for rule, m in kit.rules_of(client.application, audience, methods=("POST",))
    ]
    assert len(posts) >= 30
    for rule, _ in posts:
        url = kit.url_for_rule(rule, world)
        for data in ({}, {"csrf_token": "forged"}):
            response = client.post(url, data=data)
            assert response.status_code == 400, (url, response.status_code)
            assert "Nothing was saved" in response.get_data(as_text=True)
    assert kit.fingerprint() == before


def _script_tags(page: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", page)


def test_headers_forbid_framing_inline_script_and_referrer_leaks(client, world, kit):
    pages = [
        "/sign-in",
        f"/r/{world.peer_token}",
        f"/p/{world.participant_token}",
        f"/o/{world.open_token}",
    ]
    nonces = set()
    for url in pages:
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        nonces.add(nonce)
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        script_src = re.search(r"script-src ([^;]+)", policy).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
        for tag in _script_tags(response.get_data(as_text=True)):
            assert f'nonce="{nonce}"' in tag and "src=" in tag, (url, tag)
        assert "Strict-Transport-Security" not in response.headers
    assert len(nonces) == len(pages), "a nonce must never be reused"


def test_production_sends_hsts_and_secure_cookies(database_urls, backend, tmp_path):
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "s" * 40,
            "SQLALCHEMY_DATABASE_URI": database_urls[backend],
        }
    )
    app.instance_path = str(tmp_path)
    response = app.test_client().get("/sign-in")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    with app.app_context():
        db.engine.dispose()


def test_no_template_has_inline_script_or_event_handlers():
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for tag in _script_tags(text):
            if "src=" not in tag:
                offences.append(f"{path.name}: inline {tag}")
        for attribute in re.findall(r"<[^>]*\son[a-z]+\s*=", text):
            offences.append(f"{path.name}: event handler in {attribute}")
        if "javascript:" in text.lower():
            offences.append(f"{path.name}: javascript: URL")
    assert len(list(TEMPLATES.rglob("*.html"))) > 40
    assert not offences, offences


def test_hostile_names_and_comments_are_shown_as_text(client, world, kit):
    person = add_participant(world.leaders, HOSTILE, "x@example.org", organisation=HOSTILE)
    response = Response(campaign_id=world.survey.id, source="import")
    response.answers = [Answer(item_id=world.item_id, position=0, value=HOSTILE)]
    db.session.add(response)
    db.session.commit()
    kit.sign_in(client, "lead@example.org")
    urls = [
        f"/p/{person.token}",
        f"/p/{person.token}/privacy",
        f"/campaigns/{world.leaders.id}",
        f"/campaigns/{world.leaders.id}/participants/{person.participant.id}",
        f"/campaigns/{world.leaders.id}/participants/{person.participant.id}/erase",
        f"/campaigns/{world.survey.id}/findings",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    assert "&lt;script&gt;" in client.get(f"/p/{person.token}").get_data(as_text=True)


FORMULAS = ['=HYPERLINK("http://evil","x")', "+SUM(1,2)", "-2+3", "@cmd", "=1+1"]


def test_exports_neutralise_spreadsheet_formulas(client, world, kit):
    for value in FORMULAS:
        response = Response(campaign_id=world.survey.id, source="import")
        response.answers = [Answer(item_id=world.item_id, position=0, value=value)]
        db.session.add(response)
    db.session.commit()
    kit.sign_in(client, "lead@example.org")
    text = client.get(f"/campaigns/{world.survey.id}/export.csv").get_data(as_text=True)
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/campaigns/{world.survey.id}/export.xlsx").data)
    )
    xlsx_cells = {
        c.value: c
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    }
    assert not [c for c in xlsx_cells.values() if c.data_type == "f"]
    for value in FORMULAS:
        assert "'" + value in cells and value not in cells, value
        # In XLSX the answer is a text cell shown as typed: never a formula, no apostrophe.
        assert xlsx_cells[value].data_type == "s" and xlsx_cells[value].quotePrefix, value


def test_oversized_and_binary_uploads_are_refused_and_change_nothing(client, world, kit):
    csrf = kit.sign_in(client, "lead@example.org")
    url = f"/campaigns/{world.leaders.id}/participants/upload"
    before = kit.fingerprint()
    assert client.application.config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    # A smaller limit keeps the test client's body in memory; the mechanism is the same.
    client.application.config["MAX_CONTENT_LENGTH"] = 100_000
    huge = io.BytesIO(b"name,email\n" + b"a,b@example.org\n" * 10_000)
    response = client.post(url, data={"csrf_token": csrf, "file": (huge, "big.csv")})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    binary = io.BytesIO(b"PK\x03\x04\x00\x00binary\x00data")
    response = client.post(url, data={"csrf_token": csrf, "file": (binary, "people.xlsx")})
    assert response.status_code in (200, 400)
    assert "not a spreadsheet" in response.get_data(as_text=True) or "UTF-8" in response.get_data(
        as_text=True
    )
    assert kit.fingerprint() == before
