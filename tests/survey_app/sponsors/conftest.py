"""Sponsor tests reuse the programme fixtures."""

from tests.survey_app.coaching.conftest import cohort, region  # noqa: F401
