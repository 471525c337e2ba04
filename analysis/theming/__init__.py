"""Theming free text: redaction, codebook coding, discovery and per-theme statistics."""

from .codebook_match import Coding, Matcher
from .pipeline import STEPS_PER_COMMENT, codebook_fingerprint, theme_comments
from .redact import Found, RedactionResult, redact
from .stats import wilson

__all__ = ["STEPS_PER_COMMENT", "Coding", "Found", "Matcher", "RedactionResult",
           "codebook_fingerprint", "redact", "theme_comments", "wilson"]
