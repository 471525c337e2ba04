"""The text a reader sees in a WeasyPrint PDF, read back without a PDF library.

WeasyPrint writes text as glyph numbers; each font's ToUnicode map turns them back into letters.
SVG text is drawn glyph by glyph with no space glyphs, so compare with `squeezed` (no spaces).
`pdf_and_html` downloads a PDF keeping the HTML it was made from; `svg_named` finds a chart in it.
"""

from __future__ import annotations

import re
import zlib

from markupsafe import escape

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
TEXT_BLOCK = re.compile(rb"BT(.*?)ET", re.S)
HEX = re.compile(rb"<([0-9a-fA-F]+)>")


def _streams(data: bytes) -> list[bytes]:
    found = []
    for match in STREAM.finditer(data):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            found.append(match.group(1))
    return found


def _glyph_map(streams: list[bytes]) -> dict[bytes, str]:
    """Every font's glyph-to-text map merged; refuses fonts that disagree (it could misread)."""
    merged: dict[bytes, str] = {}
    for stream in streams:
        if b"begincmap" not in stream:
            continue
        assert b"beginbfrange" not in stream, "a ranged ToUnicode map: extend tests/pdf_text.py"
        body = stream.split(b"endcodespacerange", 1)[1]
        for glyph, text in PAIR.findall(body):
            letters = bytes.fromhex(text.decode()).decode("utf-16-be")
            assert merged.setdefault(glyph.lower(), letters) == letters, "fonts disagree"
    return merged


def pdf_text(data: bytes) -> str:
    """The PDF's text, one line per text block (a table cell, a line, an SVG text element)."""
    streams = _streams(data)
    glyphs = _glyph_map(streams)
    lines = []
    for stream in streams:
        if b"BT" not in stream or b"begincmap" in stream:
            continue
        for block in TEXT_BLOCK.findall(stream):
            codes = b"".join(HEX.findall(block))
            lines.append(
                "".join(
                    glyphs.get(codes[i : i + 4].lower(), "\ufffd") for i in range(0, len(codes), 4)
                )
            )
    return "\n".join(line for line in lines if line)


def squeezed(text: str) -> str:
    """Text without whitespace, to compare with SVG text (drawn without space glyphs)."""
    return "".join(text.split())


def pdf_and_html(monkeypatch, client, url: str) -> tuple[bytes, str]:
    """Download a report PDF, keeping the HTML WeasyPrint was given."""
    from survey_app.reports import pdf

    sources = []
    original = pdf.render_pdf

    def keep(html: str) -> bytes:
        sources.append(html)
        return original(html)

    monkeypatch.setattr(pdf, "render_pdf", keep)
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return response.data, sources[0]


def svg_named(html: str, title: str) -> str:
    """The inline SVG chart named `title` in a print page."""
    match = re.search(
        r'<svg [^>]*aria-label="' + re.escape(str(escape(title))) + r'".*?</svg>', html, re.S
    )
    assert match, f"no chart {title!r} in the PDF's HTML"
    return match.group(0)
