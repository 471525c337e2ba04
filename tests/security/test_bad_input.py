"""Property-based hostile input: every question type, the CSV importer, the instrument loader."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from instruments import InstrumentError, parse_instrument
from instruments.types import DEFAULT_LONG_TEXT, QUESTION_TYPES
from survey_app.campaigns.imports import ImportRefused, import_participants
from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.models import Invitation, Participant
from survey_app.respond.services import draft_of
from tests.paths import INSTRUMENTS

pytestmark = pytest.mark.db
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
TINY = INSTRUMENTS / "examples" / "tiny_feedback.yaml"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "9" * 400,
            "\x00",
            "../../etc",
            "<script>x</script>",
            "=1+1",
            "not_observed",
            "🙂" * 30,
            "x" * 20_000,
        ]
    ),
)
FIELDS = (
    "q_listening_meetings",
    "q_listening_feedback",
    "q_delivery_plans",
    "q_confident",
    "q_wants_move",
    "q_move_reasons",
    "q_team_size",
    "q_post_title",
    "q_comments",
)


@pytest.fixture
def started(client, world):
    """A rater's browser that has pressed 'Start now' on its link."""
    csrf = CSRF.search(client.get(f"/r/{world.peer_token}").get_data(as_text=True)).group(1)
    assert client.post(f"/r/{world.peer_token}", data={"csrf_token": csrf}).status_code == 200
    return csrf


@FUZZ
@given(
    page=st.integers(min_value=-1, max_value=5),
    values=st.fixed_dictionaries(
        {},
        optional={f: st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=4)) for f in FIELDS},
    ),
)
def test_hostile_answers_never_break_a_page_or_store_invalid_values(
    client, world, started, page, values
):
    url = f"/r/{world.peer_token}/page/{page}"
    response = client.post(url, data={"csrf_token": started, **values})
    assert response.status_code in (200, 302, 400, 404), response.status_code
    db.session.expire_all()
    draft = draft_of(db.session.get(Invitation, world.peer.id))
    instrument = campaign_instrument(world.leaders)
    items = {item.id: item for item in instrument.items}
    for item_id, stored in draft.items():
        item = items[item_id]
        allowed = {code for code, _ in QUESTION_TYPES[item.type].choices(item)}
        if allowed:
            assert set(stored) <= allowed, (item_id, stored)
        else:
            assert all(len(v) <= DEFAULT_LONG_TEXT for v in stored), item_id
        if item.type == "number":
            assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in stored), stored


CSV_CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["priya@example.org", "not-an-email", "=cmd()", "Head of Service", '"', ",", "\r\n"]
    ),
)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(CSV_CELL, min_size=1, max_size=6), min_size=1, max_size=6).map(
            lambda rows: "\n".join(
                ",".join(row) for row in [["name", "email", "organisation"], *rows]
            ).encode()
        ),
    )
)
def test_hostile_participant_csv_is_refused_whole_with_a_message(world, data):
    before = db.session.scalar(select(func.count()).select_from(Participant))
    try:
        links = import_participants(world.leaders, data)
    except (ImportRefused, ValueError) as refusal:
        db.session.rollback()
        assert str(refusal)
        for problem in getattr(refusal, "problems", []):
            assert problem.describe()
        assert db.session.scalar(select(func.count()).select_from(Participant)) == before
    else:
        db.session.rollback()
        assert all(link.participant.name.strip() for link in links)


RAW = yaml.safe_load(TINY.read_text())
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def _paths(node, prefix=()):
    yield prefix
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield from _paths(child, (*prefix, key))


PATHS = [p for p in _paths(RAW) if p]


@FUZZ
@given(path=st.sampled_from(PATHS), replacement=JSONISH)
def test_damaged_instruments_give_located_problems_never_crashes(path, replacement):
    import copy

    damaged = copy.deepcopy(RAW)
    target = damaged
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    try:
        parse_instrument(damaged, source="fuzz.yaml")
    except InstrumentError as error:
        assert error.problems and all(p.describe() for p in error.problems)


@FUZZ
@given(data=JSONISH)
def test_arbitrary_documents_are_rejected_with_problems(data):
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(data, source="fuzz.yaml")
    assert caught.value.problems


def test_a_blank_tick_cannot_smuggle_invalid_choices_into_the_draft(client, world, started):
    # Found by the fuzz run above: WTForms' Optional validator looked only at the first value,
    # and a blank one cleared the error the invalid values after it had raised.
    client.post(
        f"/r/{world.peer_token}/page/3",
        data={"csrf_token": started, "q_wants_move": "yes", "q_move_reasons": [" ", "garbage"]},
    )
    db.session.expire_all()
    draft = draft_of(db.session.get(Invitation, world.peer.id))
    assert draft.get("wants_move") == ["yes"] and "move_reasons" not in draft


# Every form field of the app, each with characters a database or export cannot take.


def _subclasses(*roots) -> set[type]:
    """Every subclass of `roots` in the app's modules (importing them all first)."""
    import importlib
    import pkgutil

    import survey_app

    for module in pkgutil.walk_packages(survey_app.__path__, "survey_app."):
        importlib.import_module(module.name)
    found, todo = set(), list(roots)
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("survey_app."):
            found.add(cls)
    return found


def _app_form_classes():
    """Every form class defined at the top of a survey_app module."""
    import importlib

    from survey_app.inputs import FlaskForm

    found = [
        cls
        for cls in _subclasses(FlaskForm)
        if getattr(importlib.import_module(cls.__module__), cls.__name__, None) is cls
    ]
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def _dynamic_forms():
    """Forms built at run time: each page of the tiny instrument and a 360 campaign's edit form."""
    from instruments import load_instrument
    from survey_app.campaigns.forms import edit_form_for
    from survey_app.library.store import plain
    from survey_app.models import Campaign
    from survey_app.respond.forms import page_form

    instrument = load_instrument(TINY)
    builders = [
        lambda data, section=section: page_form(section.items, "rater", "Sam", data)
        for section in instrument.sections
    ]
    campaign = Campaign(instrument_snapshot=plain(instrument.raw), settings={})
    return [*builders, lambda data: edit_form_for(campaign, data)]


def _leaves(form):
    """Every input field of a form, subforms included, as (name, field); files are the
    importers' to check (a file field ignores posted text)."""
    from flask_wtf.file import FileField
    from wtforms import FieldList, FormField

    for field in form:
        if isinstance(field, FormField):
            yield from _leaves(field.form)
        elif isinstance(field, FieldList):
            for entry in field:
                yield from (
                    _leaves(entry.form) if isinstance(entry, FormField) else [(entry.name, entry)]
                )
        elif not isinstance(field, FileField):
            yield field.name, field


@pytest.fixture(scope="module")
def forms():
    """(app, builders, fields): a builder makes a form from posted data; fields name each field."""
    from werkzeug.datastructures import MultiDict

    from survey_app import create_app

    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SERVER_NAME": "localhost",
        }
    )
    builders = [lambda data, cls=cls: cls(formdata=data) for cls in _app_form_classes()]
    builders += _dynamic_forms()
    with app.test_request_context("/", method="POST"):
        fields = [
            (number, name)
            for number, build in enumerate(builders)
            for name, _ in _leaves(build(MultiDict()))
        ]
    return app, builders, fields


def _posted(forms, number, data):
    """Validate builder `number`'s form on `data`: (valid, errors by field name)."""
    from werkzeug.datastructures import MultiDict
    from wtforms import SelectChoice

    app, builders, _ = forms
    with app.test_request_context("/", method="POST"):
        form = builders[number](MultiDict(data))
        for _, field in _leaves(form):
            if getattr(field, "choices", ()) is None:
                field.choices = [SelectChoice("a", "a")]
        valid = form.validate()
        return valid, {name: list(field.errors) for name, field in _leaves(form)}


def test_every_form_and_subform_gets_the_shared_input_checks():
    import flask_wtf
    import wtforms

    from survey_app import inputs

    classes = _subclasses(flask_wtf.FlaskForm, wtforms.Form)  # noqa: TID251 (checking them)
    assert len(classes) >= 15
    for cls in classes:
        assert issubclass(cls, inputs.FlaskForm | inputs.Form), cls


UNSTORABLE_TEXT = st.builds(
    lambda before, bad, after: before + bad + after,
    st.text(max_size=10),
    st.sampled_from(
        [
            "\x00",
            "\x01",
            "\x08",
            "\x0b",
            "\x1b",
            "\x1f",
            "\x7f",
            "\x85",
            "\ud800",
            "\udfff",
            "\x00" * 50,
        ]
    ),
    st.text(max_size=10),
)


@FUZZ
@given(data=st.data())
def test_every_form_field_refuses_control_characters_and_lone_surrogates(forms, data):
    from survey_app.inputs import REFUSED

    number, name = data.draw(st.sampled_from(forms[2]), label="field")
    value = data.draw(UNSTORABLE_TEXT, label="value")
    valid, errors = _posted(forms, number, {name: value})
    assert not valid
    assert REFUSED in errors[name], (name, errors[name])


@FUZZ
@given(data=st.data())
def test_every_form_field_refuses_over_long_values_and_too_many_of_them(forms, data):
    from survey_app.inputs import MAX_CHARS, MAX_VALUES

    number, name = data.draw(st.sampled_from(forms[2]), label="field")
    if data.draw(st.booleans(), label="many"):
        posted = [(name, "a")] * (MAX_VALUES + 1)
    else:
        posted = [(name, "x" * data.draw(st.integers(MAX_CHARS + 1, 3 * MAX_CHARS)))]
    valid, errors = _posted(forms, number, posted)
    assert not valid and errors[name], name


def test_clean_text_passes_the_shared_checks(forms):
    from survey_app.inputs import REFUSED

    assert len(forms[2]) > 40
    for number, name in forms[2]:
        _, errors = _posted(forms, number, {name: "Héllo, world\ttab\r\nnew line 🙂"})
        assert REFUSED not in errors[name]


# Every YAML reader, with anchors and aliases anywhere and nesting far too deep.


@st.composite
def hostile_yaml(draw) -> tuple[str, str]:
    """(YAML text, the problem code it must get)."""
    kind = draw(st.sampled_from(["bomb", "alias", "merge", "deep-list", "deep-map", "block"]))
    if kind == "bomb":
        fan, levels = draw(st.integers(2, 12)), draw(st.integers(1, 12))
        lines = ["l0: &l0 [" + ", ".join(["lol"] * fan) + "]"]
        lines += [
            f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * fan) + "]" for n in range(1, levels + 1)
        ]
        return "\n".join(lines) + "\n", "yaml-alias"
    if kind == "alias":
        key = draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True))
        return f"key: x\n{key}_a: &anchor {key}\n{key}_b: *anchor\n", "yaml-alias"
    if kind == "merge":
        return "base: &b {title: x}\nkey:\n  <<: *b\n", "yaml-alias"
    depth = draw(st.integers(51, 6000))
    if kind == "deep-list":
        return "key: " + "[" * depth + "]" * depth + "\n", "too-deep"
    if kind == "deep-map":
        return "key: " + "{a: " * depth + "1" + "}" * depth + "\n", "too-deep"
    depth = min(depth, 400)
    return "".join("  " * n + "a:\n" for n in range(depth)) + "  " * depth + "b\n", "too-deep"


def _yaml_readers(tmp_path):
    from instruments import load_instrument as instrument
    from instruments.codebook import load_codebook
    from survey_app.campaigns.import_mapping import MappingError, read_mapping

    path = tmp_path / "hostile.yaml"

    def from_file(reader):
        def read(text):
            path.write_text(text)
            return reader(path)

        return read

    def mapping(text):
        try:
            return read_mapping(text.encode(), "mapping.yaml")
        except MappingError as refusal:
            raise InstrumentError([]) from refusal

    return {
        "instrument": from_file(instrument),
        "codebook": from_file(load_codebook),
        "mapping": mapping,
    }


@FUZZ
@given(case=hostile_yaml(), reader=st.sampled_from(["instrument", "codebook", "mapping"]))
def test_every_yaml_reader_refuses_aliases_and_deep_nesting_in_place(tmp_path, case, reader):
    text, code = case
    with pytest.raises(InstrumentError) as caught:
        _yaml_readers(tmp_path)[reader](text)
    if reader == "mapping":
        message = str(caught.value.__cause__)
        assert message.startswith("Mapping file, line ") and len(message) < 400
    else:
        [problem] = caught.value.problems
        assert problem.code == code and problem.location.startswith("line ")
        assert len(str(problem)) < 400
