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
            " || el.classList.contains('js-plotly-plot'))",
            timeout=15000,
        )
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
        " - window.innerWidth"
    )


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


CHART_TEXT = "g.xtick text, g.ytick text, .xtitle, .ytitle, .gtitle"


def clipped_chart_labels(page) -> list[str]:
    """Chart tick labels and titles not wholly inside their chart's drawing, or overlapping.

    Each label's bounding box must lie within the chart's SVG; tick labels on one axis must not
    run into each other. Fails loudly when a chart has no tick labels at all (nothing measured).
    """
    return page.evaluate(
        """(selector) => {
        const problems = [];
        const inside = (b, box) => b.left >= box.left - 0.5 && b.right <= box.right + 0.5
            && b.top >= box.top - 0.5 && b.bottom <= box.bottom + 0.5;
        const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
            && a.top < b.bottom - 1 && b.top < a.bottom - 1;
        document.querySelectorAll('[data-figure]').forEach(chart => {
            const name = (chart.getAttribute('aria-label') || '').slice(0, 60);
            const svg = chart.querySelector('svg.main-svg');
            if (!svg) { problems.push(name + ': not drawn'); return; }
            const box = svg.getBoundingClientRect();
            const ticks = chart.querySelectorAll('g.xtick text, g.ytick text');
            if (!ticks.length) { problems.push(name + ': no tick labels'); }
            chart.querySelectorAll(selector).forEach(text => {
                const b = text.getBoundingClientRect();
                if (b.width > 0 && !inside(b, box)) {
                    problems.push(name + ': "' + text.textContent + '" is cut off');
                }
            });
            for (const axis of ['g.xtick text', 'g.ytick text']) {
                const boxes = [...chart.querySelectorAll(axis)].map(t => [t.textContent,
                    t.getBoundingClientRect()]).filter(([, b]) => b.width > 0);
                boxes.forEach(([text, b], i) => boxes.slice(i + 1).forEach(([other, c]) => {
                    if (overlap(b, c)) { problems.push(name + ': "' + text + '" overlaps "'
                        + other + '"'); }
                }));
            }
        });
        return problems;
    }""",
        CHART_TEXT,
    )
