"""Codebook regexes on a linear-time engine (RE2): no pattern can stall a worker."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Protocol

import re2

MAX_LENGTH = 300  # characters: a codebook pattern is a phrase, not a program
MAX_PROGRAM_MEMORY = 1 << 20  # bytes RE2 may use to compile one pattern (its default is 8 MB)
# A pattern that matches these would code (nearly) every comment to its theme.
PROBES = ("", " ", "a", "the")


class UnsafePattern(ValueError):
    """A pattern refused, with a message a commissioner can act on."""


class Match(Protocol):
    """What callers use of an RE2 match (re2 ships no type information)."""

    def group(self, index: int = 0, /) -> str: ...
    def start(self, index: int = 0, /) -> int: ...
    def end(self, index: int = 0, /) -> int: ...


class Program(Protocol):
    """What callers use of a compiled RE2 program (the same methods as `re.Pattern`)."""

    def search(self, text: str, /) -> Match | None: ...
    def fullmatch(self, text: str, /) -> Match | None: ...
    def finditer(self, text: str, /) -> Iterator[Match]: ...


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would otherwise print its parse errors to stderr
    options.max_mem = MAX_PROGRAM_MEMORY
    return options


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Program:
    """The RE2 program of a case-insensitive codebook pattern; UnsafePattern says why not."""
    if len(pattern) > MAX_LENGTH:
        raise UnsafePattern(
            f"is {len(pattern)} characters long; keep patterns under "
            f"{MAX_LENGTH} or split it into several"
        )
    try:
        program: Program = re2.compile(pattern, _options())
    except re2.error as exc:
        reason = (
            exc.args[0].decode("utf-8", "replace")
            if exc.args and isinstance(exc.args[0], bytes)
            else str(exc)
        )
        raise UnsafePattern(
            f"cannot be used: {reason}. Back-references and look-arounds "
            "are not supported; write the words out instead"
        ) from None
    for probe in PROBES:
        if program.fullmatch(probe) is not None:
            shown = f"'{probe}'" if probe.strip() else "an empty comment"
            raise UnsafePattern(
                f"matches {shown}, so it would code almost every comment; "
                "make it require at least one real word"
            )
    return program


def compile_union(patterns: tuple[str, ...]) -> Program | None:
    """One RE2 program matching wherever any of the (already checked) patterns matches."""
    if not patterns:
        return None
    for pattern in patterns:
        compile_pattern(pattern)
    options = _options()
    options.max_mem = MAX_PROGRAM_MEMORY * max(1, len(patterns))
    union: Program = re2.compile("|".join(f"(?:{pattern})" for pattern in patterns), options)
    return union


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern would be refused, or None when it is safe."""
    try:
        compile_pattern(pattern)
    except UnsafePattern as exc:
        return str(exc)
    return None
