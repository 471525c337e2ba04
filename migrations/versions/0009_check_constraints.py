"""check constraints: statuses, kinds and roles hold only the values survey_app/statuses.py names

Revision ID: 0009_check_constraints
Revises: 0007

Existing rows are checked first. A value that differs from a known one only in case or
surrounding spaces (" Completed") is mapped to it; any other unknown value stops the upgrade,
before anything is changed, with a message naming the table, the column, the values and how
many rows hold each, so that they can be corrected by hand and the upgrade run again.
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_check_constraints'
down_revision = '0007'
branch_labels = None
depends_on = None

# (table, column, constraint name, allowed values): the values as of this revision, written
# out so that later changes to the enums do not rewrite history.
CHECKS = (
    ("users", "role", "role_known", ("admin", "commissioner")),
    ("campaigns", "kind", "kind_known", ("360", "survey")),
    ("campaigns", "status", "status_known", ("draft", "open", "closed", "archived")),
    ("participants", "window_status", "window_status_known", ("open", "closed")),
    ("invitations", "status", "status_known",
     ("proposed", "rejected", "invited", "started", "completed", "declined")),
    ("messages", "kind", "kind_known",
     ("invitation", "reminder", "match", "sponsor", "talent_pool")),
    ("replaced_links", "kind", "kind_known", ("invitation", "participant", "open")),
    ("sponsors", "status", "status_known", ("requested", "confirmed", "declined")),
    ("support_matches", "status", "status_known", ("active", "ended")),
)


def _condition(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def unknown_values(connection):
    """Sentences about values no known value maps to: one per table and column."""
    problems = []
    for table, column, _, values in CHECKS:
        known = ", ".join(f"'{v}'" for v in values)
        rows = connection.execute(sa.text(
            f"SELECT {column}, COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND "
            f"LOWER(TRIM({column})) NOT IN ({known}) GROUP BY {column} ORDER BY {column}")).all()
        if rows:
            found = ", ".join(f"{value!r} ({count} rows)" for value, count in rows)
            problems.append(f"{table}.{column} holds {found}; allowed: {known}")
    return problems


def _map_variants(connection):
    for table, column, _, values in CHECKS:
        for value in values:
            connection.execute(sa.text(
                f"UPDATE {table} SET {column} = :value "
                f"WHERE LOWER(TRIM({column})) = :value AND {column} <> :value"),
                {"value": value})


def upgrade():
    connection = op.get_bind()
    problems = unknown_values(connection)
    if problems:
        raise RuntimeError("Cannot add the CHECK constraints of revision 0009: "
                           + "; ".join(problems)
                           + ". Correct these rows (or delete them), then upgrade again.")
    _map_variants(connection)
    for table, column, name, values in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"),
                                             _condition(column, values))


def downgrade():
    for table, _, name, _ in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
