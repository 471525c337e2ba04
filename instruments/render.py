"""A plain Markdown rendering of an instrument, as a person would read the questionnaire."""

from __future__ import annotations

from .model import Condition, Instrument, Item, Section
from .types import QUESTION_TYPES

NAME_PLACEHOLDER = "[name]"
RELEVANT_AUDIENCES = {"360": ("self", "rater"), "survey": ("respondent",)}
AUDIENCE_NAMES = {"self": "the self-assessment", "rater": "raters", "respondent": "respondents"}


def instrument_markdown(instrument: Instrument) -> str:
    """The instrument as a Markdown document: sections, numbered questions, options and rules."""
    numbers = {item.id: n for n, item in enumerate(instrument.items, start=1)}
    lines = [f"# {_named(instrument.title)}", ""]
    if instrument.description:
        lines += [_named(instrument.description), ""]
    if instrument.self_description:
        lines += [f"*Self-assessment wording:* {_named(instrument.self_description)}", ""]
    lines += [f"*Estimated time: about {instrument.estimated_minutes} minutes.*", ""]
    lines += _settings_lines(instrument)
    for section in instrument.sections:
        lines += _section_lines(instrument, section, numbers)
    return "\n".join(lines).rstrip() + "\n"


def _named(text: str) -> str:
    return str(text).replace("{name}", NAME_PLACEHOLDER).strip()


def _settings_lines(instrument: Instrument) -> list[str]:
    lines = []
    relationships = [str(r.get("label", r.get("id"))) for r in instrument.relationships]
    if relationships:
        lines += [f"**Who gives feedback:** {', '.join(relationships)}.", ""]
    note = instrument.settings.get("privacy_note")
    if note:
        lines += [f"**Privacy:** {_named(note)}", ""]
    titles = [str(label) for label in instrument.settings.get("level_labels") or []]
    if titles:
        # Raters see only the descriptors: a title invites rating the person's grade.
        typical = "; ".join(f"level {n}, {t}" for n, t in enumerate(titles, start=1))
        lines += [
            f"**Levels in reports:** each level is typical of a role ({typical}). Reports "
            "name these roles to explain the levels; the forms show only the descriptors.",
            "",
        ]
    crosswalk = instrument.settings.get("crosswalk")
    if crosswalk:
        lines += [
            f"**Crosswalk:** under each question, the elements of the "
            f"{crosswalk.get('framework', 'framework')} it draws on.",
            "",
        ]
    return lines


def _section_lines(instrument: Instrument, section: Section, numbers: dict[str, int]) -> list[str]:
    lines = [f"## {_named(section.title)}", ""]
    if section.description:
        lines += [_named(section.description), ""]
    if section.self_description:
        lines += [f"*Self-assessment wording:* {_named(section.self_description)}", ""]
    for item in section.items:
        lines += _item_lines(instrument, item, numbers)
    return lines


def _item_lines(instrument: Instrument, item: Item, numbers: dict[str, int]) -> list[str]:
    required = " *(required)*" if item.required else ""
    lines = [f"**{numbers[item.id]}. {_named(item.prompt)}**{required}", ""]
    notes = []
    if item.self_prompt:
        notes.append(f"Self-assessment wording: {_named(item.self_prompt)}")
    if item.help:
        notes.append(_named(item.help))
    notes += _rule_notes(instrument, item, numbers)
    if item.id in (instrument.settings.get("campaign_options") or ()):
        notes.append(
            "Each campaign lists the answers offered here (before those below); "
            "a campaign that lists none does not ask this question."
        )
    for note in notes:
        lines += [f"*{note}*", ""]
    answers = _answer_lines(instrument, item)
    if answers:
        lines += answers + [""]
    elements = ((instrument.settings.get("crosswalk") or {}).get("facets") or {}).get(item.id)
    if elements:
        lines += [f"*Crosswalk: {'; '.join(map(str, elements))}.*", ""]
    return lines


def _rule_notes(instrument: Instrument, item: Item, numbers: dict[str, int]) -> list[str]:
    notes = []
    audience = _audience_note(instrument, item)
    if audience:
        notes.append(audience)
    if item.show_if:
        notes.append(_condition_note(instrument, item.show_if, numbers))
    notes += QUESTION_TYPES[item.type].instructions(item)
    return notes


def _audience_note(instrument: Instrument, item: Item) -> str:
    relevant = RELEVANT_AUDIENCES.get(instrument.kind, ())
    asked = [who for who in relevant if who in item.audience]
    if not asked or len(asked) == len(relevant):
        return ""
    return "Asked of " + " and ".join(AUDIENCE_NAMES[who] for who in asked) + " only."


def _condition_note(instrument: Instrument, condition: Condition, numbers: dict[str, int]) -> str:
    try:
        controller = instrument.item(condition.item_id)
    except KeyError:
        return f"Answer only if '{condition.item_id}' is one of: {', '.join(condition.values)}."
    labels = [f'"{_named(controller.option_label(code))}"' for code in condition.values]
    answer = labels[0] if len(labels) == 1 else "one of " + ", ".join(labels)
    return f"Answer only if the answer to question {numbers[controller.id]} is {answer}."


def _answer_lines(instrument: Instrument, item: Item) -> list[str]:
    # No level titles beside the descriptors, as on the forms (the settings lines name them).
    return QUESTION_TYPES[item.type].answer_lines(item, [], _named)
