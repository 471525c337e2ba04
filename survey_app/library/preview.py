"""An instrument's answering pages for each audience, built as respondents get them, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from instruments import Instrument, Section

from ..respond.forms import condition_hint, page_form_class

AUDIENCES = {"360": ("self", "rater"), "survey": ("respondent",)}
AUDIENCE_NAMES = {
    "self": "the participant (self-assessment)",
    "rater": "a rater",
    "respondent": "a respondent",
}


@dataclass(frozen=True)
class PreviewPage:
    """One answering page: its section (this audience's items), unbound fields and hints."""

    number: int
    section: Section
    fields: dict[str, Any]
    hints: dict[str, str]


def audiences_of(instrument: Instrument) -> tuple[str, ...]:
    """Who answers this kind of instrument: self and rater for a 360, respondent for a survey."""
    return AUDIENCES.get(instrument.kind, ())


def preview_pages(instrument: Instrument, audience: str) -> list[PreviewPage]:
    """Every page `audience` answers, with the form fields the answering pages use, unfilled."""
    sections = instrument.sections_for(audience)
    pages = []
    for number, section in enumerate(sections, start=1):
        form = page_form_class(section.items, audience, "")(formdata=None, meta={"csrf": False})
        pages.append(
            PreviewPage(
                number,
                section,
                {item.field_name: form[item.field_name] for item in section.items},
                {item.id: condition_hint(item, instrument, audience, "") for item in section.items},
            )
        )
    return pages
