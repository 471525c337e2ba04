"""Demo data for `make run`: a commissioner, campaigns of each instrument, and fresh links."""

from __future__ import annotations

from sqlalchemy import func, select

from .extensions import db
from .models import User

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "demo-password-123"


def load_demo(echo) -> bool:
    """Create demo data if the database has no users; returns True when it created it."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return False
    from .auth.services import create_user

    create_user(DEMO_EMAIL, DEMO_PASSWORD, role="admin", name="Demo Commissioner")
    echo("Loaded demo data.")
    return True


def print_demo_links(echo, fresh: bool) -> None:
    """Print the demo sign-in."""
    echo(f"Sign in as {DEMO_EMAIL} with password {DEMO_PASSWORD}")
