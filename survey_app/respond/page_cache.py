"""An answering page's questions and form class, built once per campaign version and page.

Everyone answering the same page about the same person sees the same questions; what differs
is which options they ticked, what they typed, the errors of a failed save and the CSRF token.
So the question block is rendered once with a marker in each place an answer goes, and a GET
only writes this person's answers into those places. The key holds everything the block is
made of: the campaign's snapshot and settings (by fingerprint), the audience, the subject's name
(it is in the prompts), the page and the items shown on it. A page with errors is rendered
whole from its own form and never cached.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from flask import current_app
from markupsafe import Markup, escape
from wtforms import SelectMultipleField

from instruments import type_of
from instruments.model import Section

from ..bounded_cache import BoundedCache
from ..campaigns.services import config_key
from .forms import PageForm, condition_hint, draft_formdata, page_form_class

if TYPE_CHECKING:
    from .flow import Answering

BLOCK_TEMPLATE = "respond/_question_block.html"
# A marker no answer or instrument text can contain: it holds NUL (refused in every input, see
# survey_app/inputs.py) and a per-process random part.
_NONCE = secrets.token_hex(8)
_MARKER = re.compile("\x00" + _NONCE + r":(\d+)\x00")

_FORM_CLASSES: BoundedCache[type[PageForm]] = BoundedCache(2048)
_BLOCKS: BoundedCache[QuestionBlock] = BoundedCache(2048)


@dataclass(frozen=True)
class Slot:
    """Where one answer goes: ' checked' on an option (`option` set) or the typed text."""

    item_id: str
    option: str | None = None
    multiple: bool = False

    def fill(self, values: list[str]) -> str:
        """This slot's HTML for one person's saved values of the item (as WTForms shows them)."""
        if self.option is None:
            return str(escape(values[0])) if values else ""
        chosen = (
            self.option in values if self.multiple else bool(values) and (values[0] == self.option)
        )
        return " checked" if chosen else ""


@dataclass(frozen=True)
class QuestionBlock:
    """Rendered questions cut at their slots: parts[0] slot[0] parts[1] ... parts[-1]."""

    parts: tuple[str, ...]
    slots: tuple[Slot, ...]

    def fill(self, draft: Mapping[str, list[str]]) -> Markup:
        """The questions showing these saved answers."""
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(slot.fill(draft.get(slot.item_id, [])))
            out.append(part)
        return Markup("".join(out))


def page_key(answering: Answering, section: Section) -> tuple | None:
    """What a page's questions are made of, or None when the campaign has no current key."""
    campaign = config_key(answering.campaign)
    if campaign is None:
        return None
    return (
        campaign,
        answering.audience,
        answering.subject_name,
        answering.language,
        section.id,
        tuple(item.id for item in section.items),
    )


def form_class(answering: Answering, section: Section) -> type[PageForm]:
    """The WTForms class for this page (built once per key)."""

    def build() -> type[PageForm]:
        return page_form_class(section.items, answering.audience, answering.subject_name)

    key = page_key(answering, section)
    return build() if key is None else _FORM_CLASSES.get_or_build(key, build)


def questions(answering: Answering, section: Section, form: PageForm) -> Markup:
    """The questions rendered from a bound form (a page with errors: never cached)."""
    return Markup(
        _render(
            answering, section, {item.field_name: form[item.field_name] for item in section.items}
        )
    )


def saved_questions(
    answering: Answering, section: Section, draft: Mapping[str, list[str]]
) -> Markup:
    """The questions showing this person's saved answers, from the page's cached block."""

    if any(type_of(item).composite for item in section.items):
        # A composite answer fills many inputs of its own partial, which the slots of a cached
        # block do not reach: such a page is rendered whole from the saved answers.
        form = form_class(answering, section)(
            formdata=draft_formdata(section.items, draft), meta={"csrf": False}
        )
        return questions(answering, section, form)

    def build() -> QuestionBlock:
        return _block(answering, section)

    key = page_key(answering, section)
    block = build() if key is None else _BLOCKS.get_or_build(key, build)
    return block.fill(draft)


def _block(answering: Answering, section: Section) -> QuestionBlock:
    form = form_class(answering, section)(formdata=None, meta={"csrf": False})
    slots: list[Slot] = []
    fields = {
        item.field_name: _SkeletonField(form[item.field_name], item.id, slots)
        for item in section.items
    }
    pieces = _MARKER.split(_render(answering, section, fields))
    # re.split alternates text and captured slot numbers, which count up from 0 in order.
    assert [int(n) for n in pieces[1::2]] == list(range(len(slots)))
    return QuestionBlock(parts=tuple(pieces[0::2]), slots=tuple(slots))


def _render(answering: Answering, section: Section, fields: Mapping[str, Any]) -> str:
    # Rendered from the template alone, without the request's context: nothing of one
    # request can end up in what is kept for the next.
    hints = {
        item.id: condition_hint(
            item, answering.instrument, answering.audience, answering.subject_name
        )
        for item in section.items
    }
    return current_app.jinja_env.get_template(BLOCK_TEMPLATE).render(
        section=section,
        fields=fields,
        hints=hints,
        audience=answering.audience,
        subject_name=answering.subject_name,
    )


class _SkeletonChoice(NamedTuple):
    """An option as the question macros read it, its `selected` a slot marker."""

    value: Any
    label: str
    selected: Markup
    render_kw: Any


class _SkeletonField:
    """A bound field shown empty, with a slot marker where its answer goes."""

    errors: tuple[str, ...] = ()

    def __init__(self, field: Any, item_id: str, slots: list[Slot]):
        self._field = field
        self._item_id = item_id
        self._slots = slots

    def __getattr__(self, name: str) -> Any:
        return getattr(self._field, name)

    def _marker(self, slot: Slot) -> Markup:
        self._slots.append(slot)
        return Markup(f"\x00{_NONCE}:{len(self._slots) - 1}\x00")

    def _value(self) -> Markup:
        return self._marker(Slot(self._item_id))

    def iter_choices(self) -> list[_SkeletonChoice]:
        multiple = isinstance(self._field, SelectMultipleField)
        return [
            _SkeletonChoice(
                value=choice.value,
                label=choice.label,
                render_kw=choice.render_kw,
                selected=self._marker(Slot(self._item_id, str(choice.value), multiple)),
            )
            for choice in self._field.iter_choices()
        ]


def checked_attribute(selected: object) -> Markup:
    """' checked' for a chosen option; a slot marker stays a marker (the 'checked' filter)."""
    if isinstance(selected, Markup):
        return selected
    return Markup(" checked") if selected else Markup("")
