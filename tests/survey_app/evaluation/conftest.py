"""Evaluation tests reuse the programme fixtures."""

from tests.survey_app.coaching.conftest import cohort, make_participant, region  # noqa: F401
