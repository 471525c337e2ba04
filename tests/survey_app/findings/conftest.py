"""Fixtures for survey findings: signed-in clients, the SESLIP campaign and hand-made responses."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from openpyxl import load_workbook

from survey_app.auth.services import create_user, session_version
from survey_app.campaigns.services import campaign_instrument
from survey_app.demo.loader import SESLIP_CSV
from survey_app.extensions import db
from survey_app.findings.themes import clear_cache
from survey_app.responses import store_response


def sign_in_as(client, user):
    """Put the user's session in the client's cookie (as signing in does)."""
    with client.session_transaction() as session:
        session["user_id"] = user.id
        session["version"] = session_version(user)
        session["signed_in_at"] = int(time.time())
    return client


@pytest.fixture
def signed_in():
    """Sign a client in as a user (puts the session in its cookie)."""
    return sign_in_as


@pytest.fixture(autouse=True)
def fresh_theming_cache():
    """Each test themes its own comments from scratch."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def lead(client, commissioner):
    """A client signed in as the commissioner who owns the test campaigns."""
    return sign_in_as(client, commissioner)


@pytest.fixture
def other_client(app):
    """A client signed in as a second commissioner with no share of anyone's campaigns."""
    user = create_user("other@example.org", "correct horse battery", name="Other Lead")
    db.session.commit()
    return sign_in_as(app.test_client(), user)


def seslip_rows() -> list[dict[str, str]]:
    """The SESLIP dataset as the CSV gives it (option labels, not codes)."""
    with SESLIP_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def seslip_data() -> list[dict[str, str]]:
    """The SESLIP CSV rows, for working out expected figures independently of the app."""
    return seslip_rows()


@pytest.fixture
def seslip_campaign(make_campaign):
    """A SESLIP campaign holding the 71 respondents of the dataset, flagged as the 2019 data."""
    from survey_app.demo.loader import _parse_row
    from survey_app.findings.source_notes import SESLIP_2019

    campaign = make_campaign(
        "seslip_aspiration_survey", title="SESLIP 2019", settings={"source_data": SESLIP_2019}
    )
    instrument = campaign_instrument(campaign)
    for row in seslip_rows():
        store_response(campaign.id, _parse_row(instrument, row), source="import")
    db.session.commit()
    return campaign


@pytest.fixture
def add_responses():
    """Store answers (item id -> list of codes or texts) for a campaign."""

    def add(campaign, answers_list):
        for answers in answers_list:
            store_response(campaign.id, answers, source="import")
        db.session.commit()

    return add


@pytest.fixture
def report(cli):
    """`survey-app report ID --format json`, parsed."""

    def run(campaign_id):
        result = cli.invoke(args=["report", campaign_id, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run


@pytest.fixture
def csv_rows():
    """The rows of a downloaded CSV."""
    return lambda body: list(csv.reader(io.StringIO(body.decode("utf-8"))))


@pytest.fixture
def xlsx_values():
    """Every non-empty cell value of every sheet of a downloaded workbook."""

    def values(body: bytes) -> list[object]:
        workbook = load_workbook(io.BytesIO(body))
        return [
            cell.value
            for sheet in workbook
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]

    return values
