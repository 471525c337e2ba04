"""`survey-app backup` / `restore` round-trip an SQLite database; PostgreSQL gets pg_dump advice."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.auth.services import create_user
from survey_app.extensions import db
from survey_app.models import User


def _count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_backup_then_restore_brings_back_the_saved_state(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
        }
    )
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        create_user("kept@example.org", "correct horse battery")
        db.session.commit()
        backup = tmp_path / "backup.sqlite"
        result = runner.invoke(args=["backup", str(backup)])
        assert result.exit_code == 0, result.output
        assert runner.invoke(args=["backup", str(backup)]).exit_code != 0  # never overwrites
        create_user("later@example.org", "correct horse battery")
        db.session.commit()
        assert _count_users() == 2
        result = runner.invoke(args=["restore", str(backup), "--yes"])
        assert result.exit_code == 0, result.output
        assert db.session.scalars(select(User.email)).all() == ["kept@example.org"]
        not_a_backup = tmp_path / "notes.sqlite"
        not_a_backup.write_bytes(b"not a database at all" * 100)
        refused = runner.invoke(args=["restore", str(not_a_backup), "--yes"])
        assert refused.exit_code != 0 and "not" in refused.output
        assert _count_users() == 1
        db.engine.dispose()


@pytest.mark.db
def test_backup_on_postgresql_points_to_pg_dump(cli, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("the SQLite path is tested above")
    result = cli.invoke(args=["backup", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0 and "pg_dump" in result.output
