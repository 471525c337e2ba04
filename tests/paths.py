"""Where tests find the packages' own files: beside the code that is imported, which is the
installed package when the suite runs against `pip install .` (`make test-installed`)."""

from __future__ import annotations

import os
from pathlib import Path

import instruments
import survey_app

INSTRUMENTS = Path(instruments.__file__).resolve().parent
SURVEY_APP = Path(survey_app.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent
# The source documents (outside the repository; tests that need them skip without them).
SEEDS = Path(os.environ.get("SEEDS_DIR") or TESTS.parent.parent / "shared" / "seeds")
