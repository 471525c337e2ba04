"""Fixtures for the commissioner workspace: signed-in clients and other accounts."""

from __future__ import annotations

import pytest

from survey_app.auth.services import create_user
from survey_app.extensions import db

PASSWORD = "correct horse battery"


@pytest.fixture
def sign_in(post_form):
    """Sign a client in as `email` (password as in the commissioner fixture)."""

    def sign(client, email="lead@example.org", password=PASSWORD):
        response = post_form(client, "/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign


@pytest.fixture
def lead_client(client, commissioner, sign_in):
    """A client signed in as the commissioner who owns the test campaigns."""
    return sign_in(client)


@pytest.fixture
def other_commissioner(app):
    """A second commissioner with no access to the first one's campaigns."""
    user = create_user("other@example.org", PASSWORD, name="Other Lead")
    db.session.commit()
    return user
