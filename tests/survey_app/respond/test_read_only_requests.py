"""Answering pages that only read use no transaction on PostgreSQL (no BEGIN, no ROLLBACK)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from survey_app.extensions import db


@pytest.fixture
def autocommit_of_statements(app, backend):
    """Whether each statement of a request ran in autocommit mode, in order."""
    if backend != "postgresql":
        pytest.skip("SQLite is in-process: a transaction costs it no round trip")
    seen: list[tuple[str, bool]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement.split()[0].upper(), conn.connection.dbapi_connection.autocommit))

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_a_form_page_reads_in_autocommit_and_a_save_in_a_transaction(
    client, three_sixty, begin, answer_page, autocommit_of_statements
):
    team = three_sixty()
    begin(client, team.peer.token)
    db.session.commit()  # the test's own reads end here, as a request's session would
    autocommit_of_statements.clear()
    assert client.get(f"/r/{team.peer.token}/page/1").status_code == 200
    assert autocommit_of_statements and all(auto for _, auto in autocommit_of_statements)
    autocommit_of_statements.clear()
    saved = answer_page(client, f"/r/{team.peer.token}", 1, {"q_listening_meetings": "2"})
    assert saved.status_code == 302
    writes = [auto for verb, auto in autocommit_of_statements if verb == "UPDATE"]
    assert writes and not any(writes)
