"""The question-type registry is the only place a type is named, and every type has a partial."""

import re

import pytest

from instruments import QUESTION_TYPES, load_instrument
from survey_app.respond.forms import page_form
from tests.conftest import TINY_INSTRUMENT
from tests.paths import INSTRUMENTS, SURVEY_APP

# The folder holding the imported packages: the checkout, or site-packages for an installed copy.
ROOT = SURVEY_APP.parent
SCANNED = ("survey_app", "analysis", "instruments")
# The registry itself and the partials it names; instrument and codebook files are data.
ALLOWED = (
    "instruments/types/",
    "instruments/composite_types/",
    "survey_app/templates/respond/types/",
)
PARTIALS = ROOT / "survey_app" / "templates" / "respond" / "types"


def _quoted_type_names() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in QUESTION_TYPES)
    return re.compile(rf"""(["'])({names})\1""")


def test_question_type_names_are_written_only_in_the_registry_and_its_partials():
    pattern = _quoted_type_names()
    found, scanned = [], 0
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in (".py", ".html", ".js") or not path.is_file():
                continue
            scanned += 1
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(ALLOWED):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                found += [f"{relative}:{number}: {m[2]}" for m in pattern.finditer(line)]
    assert scanned > 100  # the scan read the code, not an empty folder
    assert found == [], "ask the registry (instruments/types/) instead:\n" + "\n".join(found)


def test_the_scan_would_see_a_type_name_written_out():
    pattern = _quoted_type_names()
    assert pattern.search('if item.type == "levelled":')
    assert pattern.search("{% elif item.type in ('single_choice', 'rating_scale') %}")
    assert not pattern.search('kind="numeric"')


def test_every_partial_belongs_to_a_registered_type():
    assert {path.stem for path in PARTIALS.glob("*.html")} == set(QUESTION_TYPES)


@pytest.mark.parametrize("type_name", sorted(QUESTION_TYPES))
def test_every_registered_type_renders_its_question_through_its_partial(app, type_name):
    question_type = QUESTION_TYPES[type_name]
    assert (ROOT / "survey_app" / "templates" / question_type.partial).is_file()
    examples = (TINY_INSTRUMENT, INSTRUMENTS / "examples" / "composite_types.yaml")
    items = [i for path in examples for i in load_instrument(path).items]
    item = next(i for i in items if i.type == type_name)
    with app.test_request_context("/", method="POST"):
        form = page_form((item,), "rater", "Sam")
        html = app.jinja_env.from_string(
            '{% from "respond/_questions.html" import question %}'
            "{{ question(item, form[item.field_name], 'The prompt shown') }}"
        ).render(item=item, form=form)
    assert "The prompt shown" in html
    assert f'id="{form[item.field_name].id}"' in html
    # A composite type's inputs are named after its parts: q_<id>-<part>.
    part = "-" if question_type.composite else '"'
    assert f'name="{item.field_name}{part}' in html
