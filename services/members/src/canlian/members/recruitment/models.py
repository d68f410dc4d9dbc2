"""Recruitment rounds, the posts they offer, and their applicants (identifiers encrypted)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.members.db import Base

Score = Numeric(5, 2)


class RecruitmentRound(Base):
    """A recruitment announcement (招聘公告) of a region for posts of its organisations."""

    __tablename__ = "recruitment_rounds"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    title: Mapped[str] = mapped_column(String(200))
    announced_on: Mapped[date] = mapped_column(Date)
    applications_close_on: Mapped[date] = mapped_column(Date)
    exam_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    # What the last ranking applied (NULL until ranked).
    written_exam_weight: Mapped[Decimal | None] = mapped_column(Score, nullable=True)
    ranking_rule: Mapped[str | None] = mapped_column(String(60), nullable=True)
    ranked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))

    posts: Mapped[list[OfferedPost]] = relationship(
        lazy="raise", order_by="OfferedPost.id", cascade="all"
    )


class OfferedPost(Base):
    """A post of an organisation the round fills, and how many places it offers."""

    __tablename__ = "recruitment_posts"
    __table_args__ = (UniqueConstraint("round_id", "organisation_id", "post"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("recruitment_rounds.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.organisation_id"))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    post: Mapped[str] = mapped_column(String(30))
    seats: Mapped[int] = mapped_column(Integer)


class Applicant(Base):
    """A person applying for an offered post; name, citizen ID and phone are kept encrypted as
    the archive keeps them, and shown masked."""

    __tablename__ = "recruitment_applicants"
    __table_args__ = (UniqueConstraint("round_id", "citizen_id_index"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("recruitment_rounds.id"), index=True)
    offered_post_id: Mapped[int] = mapped_column(ForeignKey("recruitment_posts.id"), index=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    name_ciphertext: Mapped[str] = mapped_column(Text)
    citizen_id_ciphertext: Mapped[str] = mapped_column(Text)
    citizen_id_index: Mapped[str] = mapped_column(String(64))
    phone_ciphertext: Mapped[str | None] = mapped_column(Text, nullable=True)
    sex: Mapped[str] = mapped_column(String(6))
    birth_year: Mapped[int] = mapped_column(Integer)
    disability_relation: Mapped[str] = mapped_column(String(20))
    disability_category: Mapped[int | None] = mapped_column(Integer, nullable=True)
    disability_grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    education: Mapped[str | None] = mapped_column(String(2), nullable=True)
    written_score: Mapped[Decimal | None] = mapped_column(Score, nullable=True)
    interview_score: Mapped[Decimal | None] = mapped_column(Score, nullable=True)
    combined_score: Mapped[Decimal | None] = mapped_column(Score, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    preference_applied: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))
