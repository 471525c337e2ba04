"""Each checked page type is saved as a screenshot at 1280 and 360 px for CI's artefact."""

from __future__ import annotations

import struct

from tests.browser import screenshots
from tests.browser.commissioner_checks import assert_wcag_clean


def _png_width(path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", header[16:20])[0]


def test_a_checked_page_is_saved_once_at_both_widths_and_the_viewport_restored(
    new_page, screenshot_folder
):
    page = new_page(1024, 700)
    page.goto("/sign-in")
    assert_wcag_clean(page, "Screenshot check: sign-in")
    saved = {
        width: screenshot_folder / f"screenshot-check-sign-in-{width}.png"
        for width in screenshots.WIDTHS
    }
    assert {width: _png_width(path) for width, path in saved.items()} == {1280: 1280, 360: 360}
    assert page.viewport_size == {"width": 1024, "height": 700}
    first = {path: path.stat().st_mtime_ns for path in saved.values()}
    assert_wcag_clean(page, "Screenshot check: sign-in at 360px")  # the same page type
    assert {path: path.stat().st_mtime_ns for path in saved.values()} == first
    for path in saved.values():  # the sign-in page's own screenshots are the journeys'
        path.unlink()


def test_page_types_are_file_names():
    assert screenshots.page_type("Participant's own report at 360px") == "participant-s-own-report"
    assert screenshots.page_type("sign-in page with errors") == "sign-in-page-with-errors"
