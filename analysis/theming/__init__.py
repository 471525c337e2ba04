"""Theming free text: redaction, codebook coding, discovery and per-theme statistics.

The names below load on first use (PEP 562): coding pulls in nltk and scikit-learn, which take
seconds, and a page that only needs `theming.stats` (or the CLI's --help) must not pay for them.
"""

from __future__ import annotations

from importlib import import_module

_HOMES = {
    "Coding": "codebook_match", "Matcher": "codebook_match",
    "STEPS_PER_COMMENT": "pipeline", "codebook_fingerprint": "pipeline",
    "theme_comments": "pipeline",
    "Found": "redact", "RedactionResult": "redact", "redact": "redact",
    "wilson": "stats",
}

__all__ = ["STEPS_PER_COMMENT", "Coding", "Found", "Matcher", "RedactionResult",
           "codebook_fingerprint", "redact", "theme_comments", "wilson"]


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
