"""Migrations build the schema on an empty database, and agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from survey_app.extensions import db


def test_migrated_database_has_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "campaigns", "participants", "invitations", "responses", "answers",
            "messages", "audit_events", "alembic_version"} <= tables


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_responses_hold_nothing_that_identifies_a_rater(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("responses")}
    forbidden = {"invitation_id", "name", "email", "ip_address", "user_agent", "created_at",
                 "submitted_at", "token_hash"}
    assert not columns & forbidden
    answer_columns = {c["name"] for c in inspect(db.engine).get_columns("answers")}
    assert answer_columns == {"response_id", "item_id", "position", "value"}
