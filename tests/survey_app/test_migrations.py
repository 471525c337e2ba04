"""Migrations build the schema on an empty database, and agree with the models."""

import json
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from alembic import command as alembic_command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.exc import IntegrityError

from survey_app import create_app
from survey_app.extensions import db
from survey_app.library.store import bundled, plain


def test_migrated_database_has_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "users",
        "campaigns",
        "participants",
        "invitations",
        "responses",
        "answers",
        "messages",
        "audit_events",
        "alembic_version",
    } <= tables


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_responses_hold_nothing_that_identifies_a_rater(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("responses")}
    forbidden = {
        "invitation_id",
        "name",
        "email",
        "ip_address",
        "user_agent",
        "created_at",
        "submitted_at",
        "token_hash",
    }
    assert not columns & forbidden
    answer_columns = {c["name"] for c in inspect(db.engine).get_columns("answers")}
    assert answer_columns == {"response_id", "item_id", "position", "value"}


@contextmanager
def _database_at(revision, backend, database_urls, tmp_path):
    """A fresh database of this backend migrated only as far as `revision`."""
    if backend == "sqlite":
        url, admin, name = f"sqlite:///{tmp_path / 'v1.sqlite'}", None, None
    else:
        base = make_url(database_urls["postgresql"])
        name = f"{base.database}_v1"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = base.set(database=name).render_as_string(hide_password=False)
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )
    with app.app_context():
        upgrade(revision=revision)
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


@pytest.fixture
def database_at_0001(backend, database_urls, tmp_path):
    """A fresh database of this backend migrated only to the first release's schema."""
    with _database_at("0001", backend, database_urls, tmp_path) as app:
        yield app


@pytest.fixture
def database_at_0007(backend, database_urls, tmp_path):
    """A fresh database of this backend migrated to just before the CHECK constraints."""
    with _database_at("0007", backend, database_urls, tmp_path) as app:
        yield app


def _first_release_360(connection, raters):
    """Version 1's data: each response inserted as its invitation completed, in that order."""
    instrument = bundled()["resourceful_leader_360"]
    now = datetime(2026, 3, 2, 9, 0)
    connection.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, role, active, failed_logins, "
            "created_at) VALUES (1, 'lead@example.org', 'Lead', 'x', 'commissioner', true, 0, :now)"
        ),
        {"now": now},
    )
    connection.execute(
        text(
            "INSERT INTO campaigns (id, title, instrument_key, instrument_version, kind, "
            "instrument_snapshot, settings, codebooks, status, owner_id, created_at) VALUES "
            "('c1', 'Cohort', :key, 1, '360', :snapshot, '{}', '{}', 'open', 1, :now)"
        ),
        {"key": instrument.key, "snapshot": json.dumps(plain(instrument.raw)), "now": now},
    )
    connection.execute(
        text(
            'INSERT INTO participants (id, campaign_id, name, organisation, "current_role", '
            "aspired_role, token_hash, report_released, created_at) VALUES "
            "('p1', 'c1', 'Asha', 'Kent', 'Team manager', 'head_of_service', 'h0', false, :now)"
        ),
        {"now": now},
    )
    for number, (relationship, status) in enumerate(raters):
        invitation = f"i{number}"
        connection.execute(
            text(
                "INSERT INTO invitations (id, campaign_id, participant_id, relationship, name, "
                "token_hash, status, source, created_at) VALUES (:id, 'c1', 'p1', :relationship, "
                ":name, :hash, :status, 'link', :now)"
            ),
            {
                "id": invitation,
                "relationship": relationship,
                "name": f"Rater {number}",
                "hash": f"h{number + 1}",
                "status": status,
                "now": now,
            },
        )
        if status == "completed":
            connection.execute(
                text(
                    "INSERT INTO responses (id, campaign_id, participant_id, relationship, "
                    "submitted_on, source) VALUES (:id, 'c1', 'p1', :relationship, :day, 'link')"
                ),
                {
                    "id": f"r{number}",
                    "relationship": relationship,
                    "day": date(2026, 3, 2 + number),
                },
            )
            connection.execute(
                text(
                    "INSERT INTO answers (response_id, item_id, position, value) VALUES "
                    "(:id, 'comment', 0, :value)"
                ),
                {"id": f"r{number}", "value": f"said {number}"},
            )


def test_responses_of_the_first_release_are_relabelled_and_remixed_on_upgrade(
    database_at_0001, backend
):
    raters = (
        [("peer", "completed")]
        + [("peer", "declined")] * 2
        + [("direct_report", "completed")] * 4
        + [("line_manager", "completed")]
    )
    with db.engine.begin() as connection:
        _first_release_360(connection, raters)
    upgrade()
    rows = db.session.execute(text("SELECT id, relationship, submitted_on FROM responses")).all()
    # The lone answering peer (two peers declined) was stored as 'peer' by version 1; now
    # no label singles her out: she joins the direct reports' group of at least k.
    assert sorted(row.relationship for row in rows) == (
        ["direct_report_and_others"] * 5 + ["line_manager"]
    )
    assert not {row.id for row in rows} & {f"r{n}" for n in range(len(raters))}
    assert {str(row.submitted_on) for row in rows} == {"2026-03-09"}  # the window's last day
    said = db.session.execute(text("SELECT value FROM answers")).scalars().all()
    assert sorted(said) == ["said 0", "said 3", "said 4", "said 5", "said 6", "said 7"]
    if backend == "postgresql":
        # One transaction wrote every invitation and response: xmin joins nothing to anything.
        xmins = (
            db.session.execute(
                text(
                    "SELECT xmin::text FROM invitations UNION SELECT xmin::text FROM responses "
                    "UNION SELECT xmin::text FROM answers"
                )
            )
            .scalars()
            .all()
        )
        assert len(xmins) == 1


def _insert_campaign_and_invitation(connection, invitation_status):
    now = datetime(2026, 3, 2, 9, 0)
    connection.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, role, active, "
            "session_generation, created_at) "
            "VALUES (1, 'lead@example.org', 'Lead', 'x', ' Commissioner', true, 0, :now)"
        ),
        {"now": now},
    )
    connection.execute(
        text(
            "INSERT INTO campaigns (id, title, instrument_key, instrument_version, kind, "
            "instrument_snapshot, settings, codebooks, status, owner_id, created_at) VALUES "
            "('c1', 'Survey', 'k', 1, 'survey', '{}', '{}', '{}', 'OPEN', 1, :now)"
        ),
        {"now": now},
    )
    connection.execute(
        text(
            "INSERT INTO invitations (id, campaign_id, name, token_hash, status, source, "
            "created_at) VALUES ('i1', 'c1', '', 'h1', :status, 'bulk', :now)"
        ),
        {"status": invitation_status, "now": now},
    )


def test_check_constraints_map_case_variants_and_then_refuse_unknown_values(database_at_0007):
    with db.engine.begin() as connection:
        _insert_campaign_and_invitation(connection, "Completed")
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT role FROM users")).scalar() == "commissioner"
        assert connection.execute(text("SELECT status FROM campaigns")).scalar() == "open"
        assert connection.execute(text("SELECT status FROM invitations")).scalar() == "completed"
    for statement in (
        "UPDATE invitations SET status = 'finished'",
        "UPDATE campaigns SET status = 'paused'",
        "UPDATE users SET role = 'root'",
    ):
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text(statement))
    downgrade(revision="0007")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE invitations SET status = 'finished'"))


def test_an_unknown_status_stops_the_upgrade_before_anything_changes(database_at_0007):
    with db.engine.begin() as connection:
        _insert_campaign_and_invitation(connection, "finished")
    # Alembic itself, not Flask-Migrate's command, which logs the message and exits.
    config = current_app.extensions["migrate"].migrate.get_config()
    with pytest.raises(RuntimeError, match=r"invitations\.status holds 'finished' \(1 rows\)"):
        alembic_command.upgrade(config, "head")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT status FROM campaigns")).scalar() == "OPEN"
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0007"
        )


def test_the_database_refuses_a_status_no_enum_names(app):
    from survey_app.models import Campaign, Invitation, User

    user = User(email="lead@example.org", password_hash="x")
    campaign = Campaign(
        title="T",
        instrument_key="k",
        instrument_version=1,
        kind="survey",
        instrument_snapshot={},
        owner=user,
    )
    db.session.add_all([user, campaign])
    db.session.flush()
    db.session.add(Invitation(campaign_id=campaign.id, token_hash="h", status="finished"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
