"""Screenshots of every page type the browser suite checks, at 1280 and 360 px (issue 19).

`save_screenshots(page, label)` is called by the accessibility checks every journey already makes
at each page type (`assert_wcag_clean`, the `assert_accessible` fixture), so each new page type
is captured without extra code. One screenshot per page type per width: a label seen before is
skipped, and "... at 360px" variants count as the same type. The files go to SCREENSHOT_DIR
(default build/screenshots/, gitignored), which CI keeps as an artefact; SCREENSHOTS=0 skips.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 360)
SETTLE_MS = 150  # charts redraw on resize; give them a moment before and after
_taken: set[str] = set()


def screenshot_dir() -> Path:
    """Where the screenshots are written."""
    return Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "build" / "screenshots")


def page_type(label: str) -> str:
    """A file-name slug for a checked page's label ('X at 360px' is page type X)."""
    label = re.sub(r"\s+at\s+\d+\s*px$", "", label.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")[:80] or "page"


def clear() -> None:
    """Remove the previous run's screenshots, so the folder shows this run's page types only."""
    _taken.clear()
    folder = screenshot_dir()
    if folder.is_dir():
        for old in folder.glob("*.png"):
            old.unlink()


def save_screenshots(page, label: str) -> list[Path]:
    """Full-page screenshots of `page` at each width, the viewport restored afterwards."""
    slug = page_type(label)
    if os.environ.get("SCREENSHOTS") == "0" or slug in _taken:
        return []
    _taken.add(slug)
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or {"width": 1024, "height": 800}
    charts = page.locator("[data-figure]").count() > 0
    saved = []
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": original["height"]})
            if charts:
                page.wait_for_timeout(SETTLE_MS)
            path = folder / f"{slug}-{width}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            saved.append(path)
    finally:
        page.set_viewport_size(original)
        if charts:
            page.wait_for_timeout(SETTLE_MS)
    return saved
