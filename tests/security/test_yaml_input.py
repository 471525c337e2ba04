"""YAML from users: alias bombs and deep nesting get a short, located refusal (V5.5, V12.1)."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from instruments import InstrumentError, load_instrument
from instruments.codebook import load_codebook
from survey_app.campaigns.import_mapping import MappingError, read_mapping

MEGABYTE = 1024 * 1024


def alias_bomb(levels: int = 8) -> str:
    """The 'billion laughs' in a few hundred bytes: each line repeats the one before nine times."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for level in range(1, levels + 1):
        name, previous = names[level], names[level - 1]
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def deep(levels: int = 5000) -> str:
    """A value nested `levels` lists deep."""
    return "key: deep\nsections: " + "[" * levels + "]" * levels + "\n"


def _within_budget(call, megabytes: int = 20):
    """Run `call` and return what it raised, failing if it used more than `megabytes`."""
    tracemalloc.start()
    try:
        call()
    except Exception as raised:  # noqa: BLE001 (the caller checks what was raised)
        caught = raised
    else:
        caught = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < megabytes * MEGABYTE, f"used {peak / MEGABYTE:.0f} MB"
    return caught


def test_an_alias_bomb_is_a_few_hundred_bytes():
    assert len(alias_bomb().encode()) < 500


@pytest.mark.parametrize(
    "text, code, line", [(alias_bomb(), "yaml-alias", "line 1"), (deep(), "too-deep", "line 2")]
)
def test_instrument_and_codebook_files_refuse_aliases_and_deep_nesting(tmp_path, text, code, line):
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    for reader in (load_instrument, load_codebook):
        error = _within_budget(lambda reader=reader: reader(path))
        assert isinstance(error, InstrumentError), repr(error)
        [problem] = error.problems
        assert problem.code == code and problem.location.startswith(line)
        assert len(str(problem)) < 400


@pytest.mark.parametrize("text, code", [(alias_bomb(), "yaml-alias"), (deep(), "too-deep")])
def test_instruments_check_prints_a_short_located_problem(cli, tmp_path, text, code):
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    result = cli.invoke(args=["instruments", "check", str(path)])
    assert result.exit_code == 1
    assert f"[{code}]" in result.output and "line " in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert len(result.output) < 1000


@pytest.mark.parametrize("text", [alias_bomb(), deep()])
def test_the_column_mapping_refuses_aliases_and_deep_nesting(text):
    refusal = _within_budget(lambda: read_mapping(text.encode(), "mapping.yaml"))
    assert isinstance(refusal, MappingError), repr(refusal)
    assert "line" in str(refusal) and len(str(refusal)) < 400


@pytest.mark.db
def test_an_alias_bomb_uploaded_as_a_mapping_gives_a_short_page(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    url = f"/campaigns/{campaign.id}/responses/import"
    response = post_form(
        lead_client,
        url,
        {
            "file": (io.BytesIO(b"post_title\nHead of service\n"), "responses.csv"),
            "mapping": (io.BytesIO(alias_bomb().encode()), "mapping.yaml"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "anchors and aliases" in page and "line 1" in page
    assert len(page) < 50_000


def test_error_messages_echo_at_most_a_short_part_of_a_value(tmp_path):
    huge = "x" * 100_000
    path = tmp_path / "long.yaml"
    path.write_text(f"key: {huge}\nversion: 1\ntitle: t\nkind: {huge}\nsections: []\n")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert all(len(str(problem)) < 600 for problem in caught.value.problems)
    for text in (f"{huge}: post_title\n", f"- {huge}\n", f"a: [{huge}\n"):
        try:
            read_mapping(text.encode(), "mapping.yaml")
        except MappingError as refused:
            assert len(str(refused)) < 600


@pytest.mark.db
def test_an_import_echoes_only_the_start_of_a_huge_mapping_value(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey")
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/responses/import",
        {
            "file": (io.BytesIO(b"post_title\nHead of service\n"), "responses.csv"),
            "mapping": (io.BytesIO(f"post_title: {'q' * 100_000}\n".encode()), "mapping.yaml"),
        },
        content_type="multipart/form-data",
    )
    if response.status_code == 302:  # the upload opens its preview, which names the problem
        response = lead_client.get(response.headers["Location"])
    page = response.get_data(as_text=True)
    assert "q" * 150 in page and "q" * 5_000 not in page
    assert len(page) < 50_000
