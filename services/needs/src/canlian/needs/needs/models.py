"""Needs (服务需求), from whichever channel they came, and the steps they go through."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.needs.db import ID_LENGTH, Base


class Need(Base):
    __tablename__ = "needs"
    __table_args__ = (
        Index(None, "division_code", "id"),
        Index(None, "household_id", "category", "status"),
        Index(None, "status", "due_on"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    division_code: Mapped[str] = mapped_column(DivisionCodeType)
    category: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    recorded_on: Mapped[date] = mapped_column(Date)
    # The current step's due date (assessment, referral, closing).
    due_on: Mapped[date] = mapped_column(Date)
    # Every report merged into this need: [{"channel": ..., "on": ..., "visit_id": ...}].
    reports: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    visit_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    volunteer_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    # 12385 hotline: the caller is personal data (encrypted), the rest is the call's record.
    caller_ciphertext: Mapped[str | None] = mapped_column(Text)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    operator: Mapped[str | None] = mapped_column(String(100))
    call_summary: Mapped[str | None] = mapped_column(Text)
    # Petitions (信访): the statutory deadlines and the reply to the petitioner.
    petition_received_on: Mapped[date | None] = mapped_column(Date)
    petition_acceptance_due: Mapped[date | None] = mapped_column(Date)
    petition_closing_due: Mapped[date | None] = mapped_column(Date)
    petition_reply: Mapped[str | None] = mapped_column(Text)
    assessed_on: Mapped[date | None] = mapped_column(Date)
    assessment: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str | None] = mapped_column(String(200))
    referral_target: Mapped[str | None] = mapped_column(String(20))
    platform_id: Mapped[str | None] = mapped_column(ForeignKey("service_platforms.id"))
    referred_to: Mapped[str | None] = mapped_column(String(100))
    referred_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_within_deadline: Mapped[bool | None] = mapped_column(Boolean)
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    satisfaction_reason: Mapped[str | None] = mapped_column(String(500))
    # Who answers for it now: the township's federation, then each level above once overdue.
    handling_division: Mapped[str] = mapped_column(DivisionCodeType)
    escalations: Mapped[int] = mapped_column(Integer)
    # Marked by the daily job once a deadline passed with the need open (the in-time rates
    # count it late from then on); a reopening clears `overdue` for the new round.
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    acceptance_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)


class EscalationRun(Base):
    """A China-time day the scheduled escalation ran: claimed first, so it runs once a day
    however many replicas try."""

    __tablename__ = "escalation_runs"

    run_on: Mapped[date] = mapped_column(Date, primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime)
    escalated: Mapped[int] = mapped_column(Integer)
