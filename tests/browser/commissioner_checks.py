"""Shared commissioner browser checks: WCAG-tagged axe scans, charts, narrow screens."""

from __future__ import annotations

from functools import lru_cache

from tests.browser.screenshots import save_screenshots

# Every WCAG A and AA rule axe-core has (2.0, 2.1 and 2.2); best-practice rules are not asked for.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@lru_cache(maxsize=1)
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_wcag_clean(page, label: str) -> None:
    """Fail with axe's readable report when the page breaks any WCAG A/AA rule."""
    page.wait_for_load_state("load")  # a scan started while the page is still loading fails
    results = _axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{label} ({page.url}):\n{results.generate_report()}"
    save_screenshots(page, label)


def follow(page, control) -> None:
    """Click a link or submit button and wait for the page it leads to (not the old one)."""
    with page.expect_navigation():
        control.click()


def wait_for_charts(page) -> int:
    """Wait until plotly has drawn into every chart placeholder; returns how many there are."""
    charts = page.locator("[data-figure]")
    count = charts.count()
    if count:
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')].every("
            "el => el.querySelector('.js-plotly-plot, svg') !== null"
            " || el.classList.contains('js-plotly-plot'))", timeout=15000)
    return count


def charts_without_tables(page) -> list[str]:
    """Labels of charts that have no table after them in their own section or parent."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-figure]')].filter(chart => {
        for (let next = chart.nextElementSibling; next; next = next.nextElementSibling) {
            if (next.matches('table, .table-wrap')) { return false; }
            if (next.matches('[data-figure]')) { return true; }
        }
        return true;
    }).map(chart => chart.getAttribute('aria-label'))""")


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (tables scroll in .table-wrap)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth")


def too_wide_elements(page) -> list[str]:
    """Elements sticking out past the right edge of a narrow screen, outside scroll boxes."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        return [...document.querySelectorAll('body *')].filter(el => {
            if (el.closest('.table-wrap') || el.closest('[data-figure]')) { return false; }
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.right > width + 1;
        }).slice(0, 10).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.className && typeof el.className === 'string' ? '.' + el.className : ''));
    }""")
