"""Level 4 of the evaluation: appointments and promotions of a cohort's participants."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..models import today

OUTCOME_KINDS = (
    ("promoted", "Promoted to a more senior post"),
    ("appointed", "Appointed to a more senior post elsewhere"),
    ("acting_up", "Acting up or interim in a more senior post"),
    ("secondment", "Seconded to a more senior post"),
)
OUTCOME_LABELS = dict(OUTCOME_KINDS)
OUTCOME_SOURCES = ("commissioner", "quarterly_return")


class Outcome(Model):
    """An appointment or promotion of a participant, recorded by the commissioner or a return."""

    __tablename__ = "programme_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    new_role: Mapped[str] = mapped_column(String(200), default="")
    effective_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="commissioner")
    recorded_on: Mapped[date] = mapped_column(Date, default=today)
