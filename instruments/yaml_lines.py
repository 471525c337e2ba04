"""Where in a YAML instrument file each section, item and key is: problems get a line and column.

The loader locates problems by what they are about ("item 'q3' show_if"); a person fixing an
uploaded file also wants to know where that is in the text. The text has already been read once
by the guarded loader (no aliases, bounded depth), so composing its nodes again is safe.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem


def _at(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: Node) -> str | None:
    return str(node.value) if isinstance(node, ScalarNode) else None


def _pairs(node: Node) -> list[tuple[str, Node, Node]]:
    if not isinstance(node, MappingNode):
        return []
    return [(str(k.value), k, v) for k, v in node.value if isinstance(k, ScalarNode)]


def _mapping(index: dict[str, tuple[int, int]], prefix: str, node: Node, dotted: bool) -> None:
    joiner = "." if dotted else " "
    for name, key, value in _pairs(node):
        index.setdefault(f"{prefix}{joiner}{name}", _at(key))
        if dotted:
            _mapping(index, f"{prefix}.{name}", value, dotted)


def _item(index: dict[str, tuple[int, int]], node: Node, fallback: str) -> None:
    index.setdefault(fallback, _at(node))
    ids = [_scalar(v) for name, _, v in _pairs(node) if name == "id"]
    if ids and ids[0] is not None:
        index.setdefault(f"item '{ids[0]}'", _at(node))
        _mapping(index, f"item '{ids[0]}'", node, dotted=False)


def _section(index: dict[str, tuple[int, int]], node: Node, number: int) -> None:
    index.setdefault(f"sections[{number}]", _at(node))
    ids = [_scalar(v) for name, _, v in _pairs(node) if name == "id"]
    label = f"section '{ids[0] if ids and ids[0] is not None else number}'"
    index.setdefault(label, _at(node))
    for name, _, value in _pairs(node):
        if name == "items" and isinstance(value, SequenceNode):
            for j, item in enumerate(value.value):
                _item(index, item, f"{label} items[{j}]")


def line_index(text: str) -> dict[str, tuple[int, int]]:
    """(line, column) of each location the loader names, from the file's text ({} if unreadable)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    index: dict[str, tuple[int, int]] = {}
    if root is None:
        return index
    index["top level"] = _at(root)
    for name, key, value in _pairs(root):
        index.setdefault(name, _at(key))
        if name == "settings":
            _mapping(index, "settings", value, dotted=True)
        elif name == "sections" and isinstance(value, SequenceNode):
            for number, section in enumerate(value.value):
                _section(index, section, number)
        elif name == "crosstabs" and isinstance(value, SequenceNode):
            for number, pair in enumerate(value.value):
                index.setdefault(f"crosstabs[{number}]", _at(pair))
    return index


def _where(location: str, index: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    # The longest known start of the location: "item 'q3' show_if" before "item 'q3'".
    words = location.split(" ")
    for end in range(len(words), 0, -1):
        found = index.get(" ".join(words[:end]))
        if found:
            return found
    dotted = location.split(".")
    for end in range(len(dotted), 0, -1):
        found = index.get(".".join(dotted[:end]))
        if found:
            return found
    return None


def with_lines(problems: Iterable[Problem], text: str) -> list[Problem]:
    """The problems with 'line L, column C' put before each location found in the text."""
    index = line_index(text)
    located = []
    for problem in problems:
        where = None if problem.location.startswith("line ") else _where(problem.location, index)
        if where is None:
            located.append(problem)
            continue
        location = f"line {where[0]}, column {where[1]} ({problem.location})"
        located.append(
            Problem(problem.code, problem.source, location, problem.message, problem.hint)
        )
    return located
