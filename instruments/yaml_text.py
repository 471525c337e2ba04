"""Reading YAML that people write or upload: no anchors or aliases, bounded nesting, located errors.

An alias repeats a whole subtree, so a few hundred bytes of aliases of aliases expand to gigabytes
once anything walks or prints the result ("billion laughs"). Nesting thousands of levels deep ends
in a RecursionError. Neither has a use in an instrument, codebook or column mapping, so both are
refused while the text is read, with the line and column where they start.
"""

from __future__ import annotations

from typing import Any, Protocol

import yaml
from yaml.nodes import Node

from .problems import InstrumentError, Problem

MAX_DEPTH = 50


class Mark(Protocol):
    """Where a YAML event starts (PyYAML's pure and C parsers have a Mark class each)."""

    line: int
    column: int


class _Refusal(yaml.YAMLError):
    def __init__(self, code: str, mark: Mark | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.mark, self.message, self.hint = code, mark, message, hint


class _GuardedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors and aliases and capping how deep nodes nest."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        # types-PyYAML leaves Parser.peek_event unannotated; it returns a yaml.Event.
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refusal(
                "yaml-alias",
                event.start_mark,
                "anchors and aliases (& and *) are not allowed",
                "write the repeated part out in full",
            )
        if self.depth >= MAX_DEPTH:
            raise _Refusal(
                "too-deep",
                event.start_mark,
                f"values are nested more than {MAX_DEPTH} levels deep",
                "check for unclosed brackets; instrument files need only a few levels",
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _where(mark: Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"


def _yaml_problem(exc: yaml.YAMLError, source: str) -> Problem:
    reason = str(getattr(exc, "problem", None) or exc)
    at = getattr(exc, "problem_mark", None)
    # PyYAML names what it was reading ("while scanning a quoted scalar") and where that began.
    context, began = str(getattr(exc, "context", None) or ""), getattr(exc, "context_mark", None)
    if began is not None and "quoted scalar" in context and "end of stream" in reason:
        # An unclosed quote swallows the rest of the file: the end says nothing useful.
        return Problem(
            "unclosed-quote",
            source,
            _where(began),
            f"the quote that opens here is never closed (the file ends at {_where(at)})",
            "add the matching closing quote at the end of this value",
        )
    if began is not None and context:
        reason += f" ({context.removeprefix('while ')} that began at {_where(began)})"
    return Problem(
        "bad-yaml",
        source,
        _where(at),
        f"not valid YAML: {reason}",
        "check indentation and quoting near that line",
    )


def parse_yaml(text: str, source: str) -> Any:
    """The data in `text`; InstrumentError with one located, coded problem when it is refused."""
    loader = _GuardedLoader(text)
    try:
        return loader.get_single_data()
    except _Refusal as refusal:
        problem = Problem(refusal.code, source, _where(refusal.mark), refusal.message, refusal.hint)
    except yaml.YAMLError as exc:
        problem = _yaml_problem(exc, source)
    finally:
        loader.dispose()
    raise InstrumentError([problem])
