"""Compression and caching of pages, static files and plotly.js, through the real app."""

from __future__ import annotations

import gzip
import os
import re

import brotli
import pytest
from flask import Response, url_for

from survey_app.assets import compress_response
from survey_app.charts.routes import bundle_path

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def decoded(response) -> bytes:
    """The response body as the browser sees it, after undoing its Content-Encoding."""
    encoding = response.headers.get("Content-Encoding")
    return DECODE[encoding](response.data) if encoding else response.data


def without_nonce(response, body: bytes) -> bytes:
    """The page with its per-request CSP nonce blanked, so two requests can be compared."""
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    return body.replace(nonce.encode(), b"NONCE")


def urls(app) -> dict[str, str]:
    with app.test_request_context():
        return {
            "css": url_for("static", filename="css/app.css"),
            "plotly": url_for("charts.plotly_js"),
        }


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_compressed_page_decompresses_to_the_plain_page(client, encoding):
    plain = client.get("/sign-in")
    packed = client.get("/sign-in", headers={"Accept-Encoding": encoding})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == encoding
    assert len(packed.data) < len(plain.data) / 2
    body = decoded(packed)
    # Only the per-request values differ: the CSP nonce and the signed CSRF token.
    csrf = re.compile(rb'name="csrf_token" type="hidden" value="[^"]+"')
    assert csrf.sub(b"", without_nonce(packed, body)) == csrf.sub(
        b"", without_nonce(plain, plain.data)
    )
    assert int(packed.headers["Content-Length"]) == len(packed.data)


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_compressed_static_file_is_the_file(app, client, encoding):
    css = urls(app)["css"]
    response = client.get(css, headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    with open(os.path.join(app.static_folder, "css", "app.css"), "rb") as file:
        assert decoded(response) == file.read()


def test_every_compressible_response_varies_on_accept_encoding(app, client):
    for url in ("/sign-in", urls(app)["css"], urls(app)["plotly"]):
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            response = client.get(url, headers=headers)
            assert "Accept-Encoding" in response.headers["Vary"], (url, headers)


def test_the_client_chooses_the_encoding(client):
    assert (
        client.get("/sign-in", headers={"Accept-Encoding": "gzip, br"}).headers["Content-Encoding"]
        == "br"
    )
    assert (
        client.get("/sign-in", headers={"Accept-Encoding": "br;q=0.5, gzip"}).headers[
            "Content-Encoding"
        ]
        == "gzip"
    )
    assert (
        "Content-Encoding"
        not in client.get("/sign-in", headers={"Accept-Encoding": "identity"}).headers
    )
    assert (
        "Content-Encoding"
        not in client.get("/sign-in", headers={"Accept-Encoding": "deflate"}).headers
    )


def test_tiny_responses_are_left_alone(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert response.json == {"status": "ok"}
    assert "Content-Encoding" not in response.headers


def test_the_csp_nonce_survives_compression(client):
    response = client.get("/sign-in", headers={"Accept-Encoding": "br"})
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(rb"<script[^>]*>", decoded(response))
    assert scripts and all(f'nonce="{nonce}"'.encode() in tag for tag in scripts)


def test_pages_asked_for_by_another_site_are_not_compressed(app, client):
    # BREACH: another site could make the browser fetch a page with secrets many times and
    # watch its compressed size (docs/security.md, "Compression and BREACH").
    cross = {"Accept-Encoding": "gzip, br", "Sec-Fetch-Site": "cross-site"}
    assert "Content-Encoding" not in client.get("/sign-in", headers=cross).headers
    same_site = dict(cross, **{"Sec-Fetch-Site": "same-site"})
    assert "Content-Encoding" not in client.get("/sign-in", headers=same_site).headers
    own = dict(cross, **{"Sec-Fetch-Site": "same-origin"})
    assert client.get("/sign-in", headers=own).headers["Content-Encoding"] == "br"
    # Files that are the same for everyone carry no secret, so they are compressed anyway.
    assert client.get(urls(app)["css"], headers=cross).headers["Content-Encoding"] == "br"


def test_streamed_responses_are_sent_as_they_are(app):
    with app.test_request_context(headers={"Accept-Encoding": "gzip, br"}):
        streamed = Response((part for part in [b"<p>row</p>" * 300]), mimetype="text/html")
        sent = compress_response(streamed)
        assert sent.is_streamed and "Content-Encoding" not in sent.headers
        whole = compress_response(Response(b"<p>row</p>" * 300, mimetype="text/html"))
        assert whole.headers["Content-Encoding"] == "br"


def test_range_requests_get_the_plain_bytes(app, client):
    response = client.get(
        urls(app)["plotly"], headers={"Range": "bytes=0-99", "Accept-Encoding": "gzip"}
    )
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert response.data == bundle_path().read_bytes()[:100]


def test_plotly_has_a_versioned_immutable_url(app, client):
    plotly = urls(app)["plotly"]
    assert re.fullmatch(r"/vendor/plotly-[\w.]+-[0-9a-f]{16}/plotly\.min\.js", plotly)
    response = client.get(plotly)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.data == bundle_path().read_bytes()
    assert response.headers["ETag"] and response.headers["Last-Modified"]


@pytest.mark.parametrize("encoding", [None, "gzip", "br"])
def test_a_conditional_get_of_plotly_is_answered_304(app, client, encoding):
    plotly = urls(app)["plotly"]
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(plotly, headers=headers)
    assert first.headers.get("Content-Encoding") == encoding
    again = client.get(plotly, headers=dict(headers, **{"If-None-Match": first.headers["ETag"]}))
    assert again.status_code == 304 and again.data == b""
    assert "Accept-Encoding" in again.headers["Vary"]
    by_date = client.get(
        plotly, headers=dict(headers, **{"If-Modified-Since": first.headers["Last-Modified"]})
    )
    assert by_date.status_code == 304


def test_the_old_plotly_url_still_works_and_an_outdated_one_moves_on(app, client):
    old = client.get("/vendor/plotly.min.js")
    assert old.status_code == 200 and old.data == bundle_path().read_bytes()
    assert old.headers["ETag"]
    outdated = client.get("/vendor/plotly-1.0.0-0000000000000000/plotly.min.js")
    assert outdated.status_code == 302
    assert outdated.headers["Location"].endswith(urls(app)["plotly"])


def _rewrite(path, text: str, bump: int) -> None:
    path.write_text(text)
    stat = path.stat()
    # A new modification time, as an edit or an upgrade gives (the hash is cached per mtime).
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))


def test_the_plotly_url_changes_when_the_bundle_changes(app, client, tmp_path):
    bundle = tmp_path / "plotly.min.js"
    _rewrite(bundle, "/* plotly.js v3.0.0 */ var Plotly = 1;" * 40, 1)
    app.config["PLOTLY_JS"] = str(bundle)
    before = urls(app)["plotly"]
    assert client.get(before).data == bundle.read_bytes()
    _rewrite(bundle, "/* plotly.js v3.0.0 */ var Plotly = 2;" * 40, 2)
    after = urls(app)["plotly"]
    assert after != before
    assert client.get(after).data == bundle.read_bytes()
    assert client.get(before).status_code == 302


def test_static_urls_carry_the_content_hash_and_change_with_it(app, client, tmp_path):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "app.css"
    _rewrite(sheet, "body { color: black; }\n" * 80, 1)
    app.static_folder = str(tmp_path)
    before = urls(app)["css"]
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{16}", before)
    first = client.get(before)
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first.data == sheet.read_bytes()
    _rewrite(sheet, "body { color: navy; }\n" * 80, 2)
    after = urls(app)["css"]
    assert after != before
    assert client.get(after).data == sheet.read_bytes()
    # A page cached with the old URL gets today's file, but is not told to keep it.
    stale = client.get(before)
    assert stale.data == sheet.read_bytes()
    assert stale.headers["Cache-Control"] == "public, no-cache"


def test_unversioned_static_urls_still_work_and_revalidate(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and b"body" in response.data
    assert response.headers["Cache-Control"] == "public, no-cache"
    again = client.get("/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/static/css/nope.css").status_code == 404
    assert client.get("/static/../survey_app/__init__.py").status_code == 404


def test_pages_load_static_files_by_their_versioned_urls(client):
    page = client.get("/sign-in").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert sources and all(re.search(r"\?v=[0-9a-f]{16}$", url) for url in sources)
    for url in sources:
        assert client.get(url).headers["Cache-Control"].endswith("immutable"), url


def test_pages_use_the_cartesian_bundle_of_the_same_plotly_js_version_when_installed(
    app, client, tmp_path, monkeypatch
):
    from survey_app.charts import routes

    monkeypatch.setattr(routes, "VENDOR", tmp_path)
    with app.test_request_context():
        assert bundle_path() == routes._full_bundle()  # nothing installed: the full bundle
        (tmp_path / "plotly-cartesian-0.0.1.min.js").write_text("/* another version */")
        assert bundle_path() == routes._full_bundle()  # never a bundle of another version
        cartesian = tmp_path / f"plotly-cartesian-{routes.plotly_js_version()}.min.js"
        cartesian.write_text("/* plotly.js cartesian */ var Plotly = {};" * 40)
        assert bundle_path() == cartesian
    assert client.get(urls(app)["plotly"]).data == cartesian.read_bytes()
