"""Email a rater their link as soon as a participant nominates them, when SMTP is configured."""

from __future__ import annotations

from flask import Flask

from ..extensions import db
from ..respond.participants import rater_link_issued
from .services import send_link, smtp_configured


@rater_link_issued.connect
def email_rater_link(app: Flask, invitation, url: str) -> None:
    """Send the new link straight to the rater, so it need not pass through the participant."""
    if not invitation.email or not smtp_configured():
        return
    send_link(invitation.participant.campaign, invitation.email, "invitation",
              invitation.relationship, url, invitation=invitation,
              participant=invitation.participant)
    db.session.commit()
