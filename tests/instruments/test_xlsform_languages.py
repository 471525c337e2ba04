"""Labels per language in an XLSForm, the `translations` block they become, and the way back."""

from __future__ import annotations

import copy

import pytest

from instruments import InstrumentError, parse_instrument
from instruments.loader import LIBRARY, read_yaml
from instruments.xlsform import parse_xlsform
from instruments.xlsform_export import instrument_to_xlsform
from tests.instruments.xlsform_builder import sheet_rows, xlsform
from tests.paths import INSTRUMENTS

EN, CY = "label::English (en)", "label::Welsh (cy)"
SURVEY = [
    ("type", "name", EN, CY, "hint::English (en)", "hint::Welsh (cy)"),
    ("begin_group", "page", "About you", "Amdanoch chi", "", ""),
    ("select_one yn", "happy", "Happy?", "Hapus?", "Be honest", "Byddwch onest"),
    ("text", "why", "Why?", "Pam?", "", ""),
    ("end_group", "page", "", "", "", ""),
]
CHOICES = [
    ("list_name", "name", EN, CY),
    ("yn", "yes", "Yes", "Ydw"),
    ("yn", "no", "No", "Nac ydw"),
]


def welsh_form(settings=None, survey=SURVEY, choices=CHOICES) -> bytes:
    return xlsform(survey, choices, settings or {"form_title": "Wellbeing", "form_id": "wellbeing"})


def test_the_first_label_column_is_the_wording_and_the_others_are_translations():
    instrument = parse_xlsform(welsh_form(), "f.xlsx")
    assert instrument.languages == ("en", "cy")
    assert instrument.item("happy").prompt == "Happy?"
    welsh = instrument.item_in("happy", "cy")
    assert (welsh.prompt, welsh.help) == ("Hapus?", "Byddwch onest")
    assert [o.label for o in welsh.options] == ["Ydw", "Nac ydw"]
    assert [o.code for o in welsh.options] == ["yes", "no"]
    assert instrument.in_language("cy").sections[0].title == "Amdanoch chi"
    assert instrument.in_language("en") is instrument


def test_a_group_without_a_label_is_a_page_named_after_the_group_as_odk_allows():
    survey = [SURVEY[0], ("begin_group", "about_you", "", "", "", ""), *SURVEY[2:]]
    instrument = parse_xlsform(welsh_form(survey=survey), "f.xlsx")
    assert instrument.sections[0].title == "About you"
    assert instrument.in_language("cy").sections[0].title == "About you"
    assert instrument.in_language("cy").item("happy").prompt == "Hapus?"


def test_default_language_in_settings_chooses_the_wording():
    settings = {"form_title": "Lles", "form_id": "wellbeing", "default_language": "Welsh (cy)"}
    instrument = parse_xlsform(welsh_form(settings), "f.xlsx")
    assert instrument.languages == ("cy", "en")
    assert instrument.item("happy").prompt == "Hapus?"
    assert instrument.item_in("happy", "en").prompt == "Happy?"


def test_a_missing_translation_is_located_at_its_cell():
    survey = [list(row) for row in SURVEY]
    survey[3][3] = ""
    choices = [list(row) for row in CHOICES]
    choices[2][3] = ""
    with pytest.raises(InstrumentError) as caught:
        parse_xlsform(welsh_form(survey=survey, choices=choices), "f.xlsx")
    assert {(p.code, p.location) for p in caught.value.problems} == {
        ("missing-translation", "sheet survey, row 4, column label::Welsh (cy)"),
        ("missing-translation", "sheet choices, row 3, column label::Welsh (cy)"),
    }


def translated_data() -> dict:
    data = copy.deepcopy(dict(parse_instrument(read_yaml(LIBRARY / "module_reaction.yaml")).raw))
    data["language"] = "en"
    words = {"title": "Ymateb", "sections": {}, "items": {}}
    for section in data["sections"]:
        words["sections"][section["id"]] = {"title": "Adran " + section["title"]}
        for item in section["items"]:
            entry = {"prompt": "Cwestiwn: " + item["prompt"]}
            if item.get("options"):
                entry["options"] = {o["code"]: "Dewis " + o["label"] for o in item["options"]}
            words["items"][item["id"]] = entry
    data["translations"] = {"cy": words}
    return data


def test_the_loader_checks_translations_and_locates_what_is_wrong():
    data = translated_data()
    first = data["sections"][0]["items"][0]["id"]
    words = data["translations"]["cy"]
    del words["items"][first]["prompt"]
    words["items"]["no_such_item"] = {"prompt": "?"}
    words["sections"]["no_such_section"] = {"title": "?"}
    words["colour"] = "glas"
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(data)
    found = {(p.code, p.location) for p in caught.value.problems}
    assert found == {
        ("unknown-key", "translations.cy"),
        ("unknown-section", "translations.cy.sections"),
        ("unknown-item", "translations.cy.items"),
        ("missing-translation", f"translations.cy item '{first}'"),
    }


def test_a_translation_must_give_every_option_its_label():
    data = translated_data()
    item = next(i for s in data["sections"] for i in s["items"] if i.get("options"))
    code = item["options"][0]["code"]
    del data["translations"]["cy"]["items"][item["id"]]["options"][code]
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(data)
    [problem] = caught.value.problems
    assert problem.location == f"translations.cy item '{item['id']}'"
    assert f"options {code} have no label" in problem.message


def round_trip(data: dict) -> tuple[dict, dict]:
    original = dict(parse_instrument(data).raw)
    back = dict(parse_xlsform(instrument_to_xlsform(data), "back.xlsx").raw)
    return original, back


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_instrument_survives_yaml_to_xlsform_to_yaml(path):
    original, back = round_trip(read_yaml(path))
    assert back == original


def test_grids_number_tables_repeats_and_translations_survive_the_round_trip():
    data = read_yaml(INSTRUMENTS / "examples" / "composite_types.yaml")
    original, back = round_trip(data)
    assert back == original
    original, back = round_trip(translated_data())
    assert back == original and back["translations"]["cy"]["title"] == "Ymateb"


def test_what_the_exporter_writes_is_plain_xlsform_plus_marked_extensions():
    content = instrument_to_xlsform(read_yaml(INSTRUMENTS / "examples" / "composite_types.yaml"))
    survey = sheet_rows(content, "survey")
    types = [row["type"] for row in survey]
    assert types[:4] == ["note", "begin_group", "begin_group", "select_one practices"]
    grid = survey[2]
    assert (grid["name"], grid["appearance"]) == ("practices", "table-list")
    vacancies = next(row for row in survey if row["name"] == "vacancies")
    assert (vacancies["type"], vacancies["constraint"], vacancies["units"]) == (
        "integer",
        ". >= 0 and . <= 1000",
        "posts",
    )
    table = next(row for row in survey if row["name"] == "pi_first_tier")
    assert (table["type"], table["question_type"], table["percent_of"]) == (
        "begin_group",
        "number_table",
        "posts",
    )
    columns = [
        c["name"] for c in sheet_rows(content, "choices") if c["list_name"] == "pi_first_tier"
    ]
    assert columns == ["baseline", "q1"]
    assert "begin_repeat" in types and "end_repeat" in types
    [settings] = sheet_rows(content, "settings")
    assert (settings["form_id"], settings["version"]) == ("composite_types", "1")


def test_a_type_with_no_xlsform_form_is_refused_at_its_item(monkeypatch):
    from instruments import xlsform_export

    shorter = {k: v for k, v in xlsform_export.XLSFORM_TYPES.items() if k != "number_table"}
    monkeypatch.setattr(xlsform_export, "XLSFORM_TYPES", shorter)
    with pytest.raises(InstrumentError) as caught:
        instrument_to_xlsform(read_yaml(INSTRUMENTS / "examples" / "composite_types.yaml"))
    [problem] = caught.value.problems
    assert problem.location == "item 'pi_first_tier'"
    assert "no XLSForm equivalent" in problem.message and "YAML" in problem.hint


def test_a_360s_levelled_items_are_select_ones_marked_by_question_type():
    content = instrument_to_xlsform(read_yaml(LIBRARY / "resourceful_leader_360.yaml"))
    survey = sheet_rows(content, "survey")
    levelled = [row for row in survey if row.get("question_type")]
    assert levelled and all(row["type"].startswith("select_one ") for row in levelled)
    choices = sheet_rows(content, "choices")
    first = [c["name"] for c in choices if c["list_name"] == levelled[0]["type"].split()[1]]
    assert first == ["1", "2", "3", "4", "not_observed"]
