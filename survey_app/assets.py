"""Compressed responses; static files under content-hashed URLs that browsers keep a year."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join
from werkzeug.wrappers import Response as BaseResponse

# What is worth compressing: text. XLSX, PDF and PNG are compressed already, CSV and the other
# exports are downloads (attachments), and none of those types is listed.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]
# A response this small fits one packet either way; compressing it only costs time.
MIN_SIZE = 1024
IMMUTABLE = "public, max-age=31536000, immutable"
# Endpoints whose bodies are the same for everyone and carry no secret (see _breach_exposed).
PUBLIC_FILES = frozenset({"static", "charts.plotly_js"})

compress = Compress()
_PRECOMPRESSED: dict[tuple[str, str], bytes] = {}


def register_assets(app: Flask) -> None:
    """Compress text responses and serve static files with content-hashed, immutable URLs."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_MIN_SIZE", MIN_SIZE)
    # Streamed responses (exports written as they are read) stay as they are, and compression
    # runs through compress_response below rather than on every response unconditionally.
    app.config["COMPRESS_STREAMS"] = False
    app.config["COMPRESS_REGISTER"] = False
    compress.init_app(app)
    app.after_request(compress_response)
    app.view_functions["static"] = serve_static
    app.url_defaults(_version_static_urls)


def compress_response(response: Response) -> BaseResponse:
    """Compress `response` for the client when it is text, whole, not a range and not exposed."""
    if response.mimetype not in COMPRESSED_TYPES:
        return response
    vary = response.headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    if (
        response.is_streamed
        or response.status_code == 206
        or "Range" in request.headers
        or "attachment" in response.headers.get("Content-Disposition", "")
        or _breach_exposed()
    ):
        return response
    if request.endpoint in PUBLIC_FILES:
        return _compress_file(response)
    return compress.after_request(response)


def _compress_file(response: Response) -> BaseResponse:
    # Files are compressed once per content hash, then served from memory (plotly.js: 4.85 MB,
    # half a second to gzip); their ETag names the encoding. Brotli 6 is nearly as small as 9 in
    # a third of the time; 11 takes over 30 s on plotly.js, too long for a first request.
    digest, weak = response.get_etag()
    encoding = request.accept_encodings.best_match(["br", "gzip"])
    if (
        response.status_code != 200
        or not digest
        or weak
        or not encoding
        or (response.content_length or 0) < MIN_SIZE
    ):
        return response
    key = (digest, encoding)
    body = _PRECOMPRESSED.get(key)
    if body is None:
        data = response.get_data()
        body = (
            brotli.compress(data, quality=6)
            if encoding == "br"
            else gzip.compress(data, 9, mtime=0)
        )
        if len(_PRECOMPRESSED) > 64:  # old versions of edited files; a handful in practice
            _PRECOMPRESSED.clear()
        _PRECOMPRESSED[key] = body
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.set_etag(f"{digest}:{encoding}")
    return response.make_conditional(request)


def _breach_exposed() -> bool:
    # BREACH needs another site to make the victim's browser fetch a page many times while it
    # watches the sizes; modern browsers say so in Sec-Fetch-Site. Such requests get the page
    # uncompressed (docs/security.md, "Compression and BREACH").
    if request.endpoint in PUBLIC_FILES:
        return False
    return request.headers.get("Sec-Fetch-Site", "") in ("cross-site", "same-site")


@lru_cache(maxsize=256)
def _read(path: str, mtime_ns: int) -> tuple[bytes, str]:
    # Keyed by modification time, so an edited file gets a new hash without a restart.
    data = Path(path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


def _static_file(filename: str) -> tuple[bytes, str, float] | None:
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None or not os.path.isfile(path):
        return None
    stat = os.stat(path)
    data, digest = _read(path, stat.st_mtime_ns)
    return data, digest, stat.st_mtime


def static_version(filename: str) -> str | None:
    """The content hash that versions a static file's URL, or None if there is no such file."""
    found = _static_file(filename)
    return found[1] if found else None


def _version_static_urls(endpoint: str | None, values: dict) -> None:
    # url_for('static', filename=...) gains ?v=<content hash>: a new file is a new URL.
    if endpoint == "static" and "v" not in values and "filename" in values:
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def serve_static(filename: str) -> BaseResponse:
    """A static file with an ETag; kept for a year when asked for by its current hash."""
    found = _static_file(filename)
    if found is None:
        abort(404)
    data, digest, mtime = found
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    # Served from memory rather than streamed from disk, so it can be compressed like a page.
    response = Response(data, mimetype=mimetype)
    # An unversioned (or outdated) URL is revalidated each time: cheap, since it answers 304.
    versioned = request.args.get("v") == digest
    return cacheable(response, digest, mtime, IMMUTABLE if versioned else "public, no-cache")


def cacheable(response: Response, digest: str, mtime: float, cache_control: str) -> BaseResponse:
    """Validators (ETag, Last-Modified) and caching for a file; 304 or 206 when the request asks."""
    response.set_etag(digest)
    response.last_modified = datetime.fromtimestamp(mtime, tz=UTC)
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(
        request, accept_ranges=True, complete_length=response.content_length
    )
