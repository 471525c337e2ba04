"""The layout the README promises: a page's endpoint names the package that holds its code."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest

import survey_app
from survey_app import COMMAND_FEATURES, FEATURES

ROOT = Path(survey_app.__file__).resolve().parent
README = ROOT.parent / "README.md"


def _layout_table() -> dict[str, str]:
    section = README.read_text().split("## Layout", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z_]+)` \| (.*?) \|", section, re.M))


def test_every_view_lives_in_the_package_its_endpoint_names(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        feature = rule.endpoint.split(".")[0]
        module = app.view_functions[rule.endpoint].__module__
        assert module.startswith(f"survey_app.{feature}."), (rule.rule, rule.endpoint, module)


def test_every_feature_package_is_registered_and_in_the_readme():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    with_pages = {name for name in packages if hasattr(import_module(f"survey_app.{name}"), "bp")}
    with_commands = {name for name in packages if (ROOT / name / "cli.py").exists()}
    assert with_pages == set(FEATURES)
    assert with_commands == set(COMMAND_FEATURES)


def test_the_readme_layout_table_names_every_feature_package():
    if not README.exists():
        pytest.skip("the README is in the checkout, not in an installed copy")
    assert set(_layout_table()) == {p.parent.name for p in ROOT.glob("*/__init__.py")}


def test_each_command_is_listed_by_its_feature(app):
    listed = {
        command.name
        for feature in COMMAND_FEATURES
        for command in import_module(f"survey_app.{feature}.cli").COMMANDS
    }
    built_in = {"db", "routes", "shell", "run", "limiter"}
    assert set(app.cli.commands) - built_in == listed


def test_the_readme_names_every_module_at_the_top_of_the_package():
    if not README.exists():
        pytest.skip("the README is in the checkout, not in an installed copy")
    layout = README.read_text().split("## Layout", 1)[1].split("\n## ", 1)[0]
    modules = {p.name for p in ROOT.glob("*.py")} - {"__init__.py"}
    assert {name for name in modules if f"`{name}`" not in layout} == set()
