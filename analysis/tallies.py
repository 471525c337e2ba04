"""Research-survey tallies: counts and percentages of those who answered, following show_if."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from instruments import Instrument, Item, type_of

from .survey_results import GroupTally, SurveyTally, Tally

Response = dict[str, list[str]]


def round_half_up(value: float, places: int = 1) -> float:
    """Round as people expect (2.25 -> 2.3), not to even as Python's round() does."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def percent(count: int, of: int) -> float | None:
    """count as a percentage of `of`, one decimal place; None when nobody could be counted."""
    return round_half_up(100 * count / of) if of else None


def applies(instrument: Instrument, item: Item, response: Response) -> bool:
    """True when the item was shown to this respondent (its show_if chain holds)."""
    seen = set()
    while item.show_if is not None and item.id not in seen:
        seen.add(item.id)
        if not item.show_if.holds(response):
            return False
        item = instrument.item(item.show_if.item_id)
    return True


def chosen(item: Item, response: Response) -> list[str]:
    """The option codes this respondent chose, ignoring anything that is not an option."""
    codes = {option.code for option in item.options}
    return [value for value in response.get(item.id, []) if value in codes]


def _split(
    instrument: Instrument, item: Item, responses: list[Response]
) -> tuple[list[list[str]], int, int]:
    """(answers of those who answered, number skipped, number to whom the item did not apply)."""
    shown = [r for r in responses if applies(instrument, item, r)]
    if type_of(item).closed:
        answers = [chosen(item, r) for r in shown]
    else:
        answers = [[v for v in r.get(item.id, []) if str(v).strip()] for r in shown]
    answered = [a for a in answers if a]
    return answered, len(shown) - len(answered), len(responses) - len(shown)


def tally_item(instrument: Instrument, item: Item, responses: list[Response], k: int = 0) -> Tally:
    """One question's summary: answered, skipped, not applicable, counts and percentages.

    Summary tables (numbers, composite questions) withhold figures from fewer than `k` answers.
    """
    answered, skipped, not_applicable = _split(instrument, item, responses)
    summary: Tally = {
        "prompt": item.prompt,
        "type": item.type,
        "answered": len(answered),
        "skipped": skipped,
        "not_applicable": not_applicable,
    }
    if type_of(item).closed:
        counts = {option.label: 0 for option in item.options}
        for answer in answered:
            for code in set(answer):
                counts[item.option_label(code)] += 1
        summary["counts"] = counts
        summary["percent"] = {label: percent(n, len(answered)) for label, n in counts.items()}
    if type_of(item).averaged:
        summary["mean"], summary["min"], summary["max"] = _stats([float(a[0]) for a in answered])
    if type_of(item).composite or type_of(item).numeric:
        qtype = type_of(item)
        summary["tables"] = qtype.summary_tables(
            item, qtype.summarise(item, answered + [[]] * skipped), k
        )
    return summary


def _stats(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """(mean, min, max) of the answers given, or Nones when there are none."""
    if not values:
        return None, None, None
    return round_half_up(sum(values) / len(values), 2), min(values), max(values)


def tally_groups(
    instrument: Instrument, item: Item, responses: list[Response]
) -> dict[str, GroupTally]:
    """The item's declared option groups: respondents choosing any of the group's options."""
    answered, _, _ = _split(instrument, item, responses)
    found: dict[str, GroupTally] = {}
    for group in item.groups:
        n = sum(1 for answer in answered if set(answer) & set(group.codes))
        found[group.id] = {
            "label": group.label,
            "item": item.id,
            "n": n,
            "percent": percent(n, len(answered)),
        }
    return found


def tally_survey(instrument: Instrument, responses: list[Response], k: int = 0) -> SurveyTally:
    """Every closed and number question's tally, option groups, and answer counts of text items."""
    result: SurveyTally = {"respondents": len(responses), "questions": {}, "groups": {}, "text": {}}
    for item in instrument.items:
        if type_of(item).closed or type_of(item).numeric or type_of(item).composite:
            result["questions"][item.id] = tally_item(instrument, item, responses, k)
        elif type_of(item).is_free_text:
            answered, skipped, not_applicable = _split(instrument, item, responses)
            result["text"][item.id] = {
                "prompt": item.prompt,
                "answered": len(answered),
                "skipped": skipped,
                "not_applicable": not_applicable,
            }
        for group_id, group in tally_groups(instrument, item, responses).items():
            key = group_id if group_id not in result["groups"] else f"{item.id}.{group_id}"
            result["groups"][key] = group
    return result
