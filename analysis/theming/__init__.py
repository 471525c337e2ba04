"""Theming free text: redaction, codebook coding, discovery and per-theme statistics.

Coding and discovery load on first use (PEP 562): they pull in nltk, scikit-learn and scipy,
which take seconds, and a page that only needs `theming.stats` (or the CLI's --help) must not pay
for them. Redaction and the statistics are light and imported at once (which also keeps
`theming.redact` the function, not its submodule).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .redact import Found, RedactionResult, redact
from .stats import wilson

_HOMES = {
    "Coding": "codebook_match",
    "Matcher": "codebook_match",
    "STEPS_PER_COMMENT": "pipeline",
    "codebook_fingerprint": "pipeline",
    "theme_comments": "pipeline",
}

__all__ = [
    "STEPS_PER_COMMENT",
    "Coding",
    "Found",
    "Matcher",
    "RedactionResult",
    "codebook_fingerprint",
    "redact",
    "theme_comments",
    "wilson",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
