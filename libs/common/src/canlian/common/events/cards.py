"""Events of the cards service (topic `canlian.cards`).

State-carrying: every application event holds the application's snapshot after the change,
every card event the card's snapshot, each with the entity's `version`, so a consumer (the
metrics rollups) replaces its view of the entity and ignores stale versions. They never carry
a citizen ID, a name or a card number (which contains the citizen ID): persons and cards are
named by their own ids.

Version 2 of every type here carries the ids as strings, as REST answers them; version 1
(the same events with integer ids) is still published beside it until the migration period
ends (docs/events/README.md, "Versions").

A lifecycle step that ends one card and starts another (replace, reissue, change) writes two
events: `CardSuperseded` for the old card and `CardReplaced`/`CardReissued`/`CardChanged` for
the new one, so counting valid cards per region stays a per-card sum.

A transfer to another county is a request the receiving county decides: each step of the
request is an event of its own (`CardTransferRequested`, `...Accepted`, `...Rejected`,
`...Withdrawn`, keyed by the request); the card's move itself is `CardTransferred`, as ever,
written with the acceptance.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum, StrEnum
from typing import ClassVar

from pydantic import ConfigDict, Field

from canlian.common.events.base import DomainEvent, Downgrade, EventModel
from canlian.common.events.versions import integer_ids
from canlian.common.ids import WireId

TOPIC = "canlian.cards"


class DisabilityCategory(IntEnum):
    """残疾类别, the national codes printed as the 19th digit of the card number."""

    VISUAL = 1  # 视力残疾
    HEARING = 2  # 听力残疾
    SPEECH = 3  # 言语残疾
    PHYSICAL = 4  # 肢体残疾
    INTELLECTUAL = 5  # 智力残疾
    MENTAL = 6  # 精神残疾
    MULTIPLE = 7  # 多重残疾


class DisabilityGrade(IntEnum):
    """残疾等级, the 20th digit; 1 is the most severe."""

    FIRST = 1
    SECOND = 2
    THIRD = 3
    FOURTH = 4


class CardGeneration(StrEnum):
    SECOND_GENERATION = "second_generation"  # 第二代残疾人证
    SMART = "smart"  # 智能化残疾人证


class CardStatus(StrEnum):
    VALID = "valid"  # 有效
    EXPIRED = "expired"  # 已过期
    SUPERSEDED = "superseded"  # 已换领/补办/变更, replaced by a newer card
    CANCELLED = "cancelled"  # 已注销


class CardEndReason(StrEnum):
    """Why a card stopped being valid (superseded or cancelled)."""

    REPLACED = "replaced"  # 换领
    LOST = "lost"  # 遗失补办
    CHANGED = "changed"  # 类别/等级变更
    DEATH = "death"  # 死亡
    RECOVERY = "recovery"  # 康复
    EMIGRATION = "emigration"  # 出国(境)定居


class CardSource(StrEnum):
    APPLICATION = "application"  # issued here after application, assessment and review
    IMPORT = "import"  # taken over from a legacy register


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"  # 已申请
    ASSESSED = "assessed"  # 已评定
    APPROVED = "approved"  # 审核通过
    REJECTED = "rejected"  # 审核不通过
    ISSUED = "issued"  # 已发证


class ApplicationSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    application_id: WireId
    person_id: WireId
    version: int = Field(ge=1)
    division_code: str = Field(description="12-digit division of the applicant's residence")
    status: ApplicationStatus
    applied_on: date
    home_visit: bool = Field(description="上门办证 requested")
    poor: bool = Field(description="贫困残疾人")
    fee_waived: bool = Field(description="评定费用减免")
    category: DisabilityCategory | None = None
    grade: DisabilityGrade | None = None
    assessed_on: date | None = None
    card_id: WireId | None = Field(default=None, description="the card issued for it")


class _ApplicationEvent(ApplicationSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "application_id"
    schema_version: ClassVar[int] = 2
    earlier_versions: ClassVar[dict[int, Downgrade]] = {
        1: integer_ids(("application_id", "person_id", "card_id"))
    }


class ApplicationSubmitted(_ApplicationEvent):
    event_type: ClassVar[str] = "cn.canlian.cards.application.submitted"


class ApplicationAssessed(_ApplicationEvent):
    event_type: ClassVar[str] = "cn.canlian.cards.application.assessed"


class ApplicationReviewed(_ApplicationEvent):
    """Approved or rejected: `status` says which."""

    event_type: ClassVar[str] = "cn.canlian.cards.application.reviewed"


class ApplicationFulfilled(_ApplicationEvent):
    """A card was issued (or changed) for the application."""

    event_type: ClassVar[str] = "cn.canlian.cards.application.fulfilled"


class CardSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    card_id: WireId
    person_id: WireId
    version: int = Field(ge=1)
    division_code: str = Field(description="12-digit division managing the card")
    status: CardStatus
    category: DisabilityCategory
    grade: DisabilityGrade
    generation: CardGeneration
    issued_on: date
    valid_until: date
    source: CardSource
    home_visit: bool = Field(description="issued through 上门办证")
    previous_card_id: WireId | None = Field(default=None, description="the card this one follows")
    superseded_by_card_id: WireId | None = None
    end_reason: CardEndReason | None = None
    ended_on: date | None = None


class _CardEvent(CardSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "card_id"
    schema_version: ClassVar[int] = 2
    earlier_versions: ClassVar[dict[int, Downgrade]] = {
        1: integer_ids(("card_id", "person_id", "previous_card_id", "superseded_by_card_id"))
    }


class CardIssued(_CardEvent):
    """A first card for a person: after an application, or taken over by import."""

    event_type: ClassVar[str] = "cn.canlian.cards.card.issued"


class CardReplaced(_CardEvent):
    """换领: the new card after a generation change or an expiry."""

    event_type: ClassVar[str] = "cn.canlian.cards.card.replaced"


class CardReissued(_CardEvent):
    """补办: the new card after a loss (same number, same validity)."""

    event_type: ClassVar[str] = "cn.canlian.cards.card.reissued"


class CardChanged(_CardEvent):
    """变更: the new card after a change of category or grade (a new number)."""

    event_type: ClassVar[str] = "cn.canlian.cards.card.changed"


class CardSuperseded(_CardEvent):
    """The old card of a replace, reissue or change; `end_reason` says which."""

    event_type: ClassVar[str] = "cn.canlian.cards.card.superseded"


class CardTransferred(_CardEvent):
    """迁移: the same card now managed by another region."""

    event_type: ClassVar[str] = "cn.canlian.cards.card.transferred"

    previous_division_code: str


class CardCancelled(_CardEvent):
    event_type: ClassVar[str] = "cn.canlian.cards.card.cancelled"


class CardExpired(_CardEvent):
    event_type: ClassVar[str] = "cn.canlian.cards.card.expired"


class TransferStatus(StrEnum):
    """A card's transfer to another county, as the receiving county decides it."""

    REQUESTED = "requested"  # 待接收: the sending county asked
    ACCEPTED = "accepted"  # 已接收: the card moved (a `CardTransferred` in the same step)
    REJECTED = "rejected"  # 已拒绝: the receiving county refused, with a reason
    WITHDRAWN = "withdrawn"  # 已撤回: the sending county took it back before a decision


class TransferRequestSnapshot(EventModel):
    """A transfer request after the step (reasons are free text and stay out of events)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    transfer_request_id: WireId
    card_id: WireId
    person_id: WireId
    version: int = Field(ge=1)
    from_division_code: str = Field(description="12-digit division managing the card when asked")
    to_division_code: str = Field(description="12-digit division the card is to move to")
    status: TransferStatus


class _TransferRequestEvent(TransferRequestSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "transfer_request_id"
    schema_version: ClassVar[int] = 2
    earlier_versions: ClassVar[dict[int, Downgrade]] = {
        1: integer_ids(("transfer_request_id", "card_id", "person_id"))
    }


class CardTransferRequested(_TransferRequestEvent):
    """迁移申请: the county managing the card asked another county to take it over."""

    event_type: ClassVar[str] = "cn.canlian.cards.transfer.requested"


class CardTransferAccepted(_TransferRequestEvent):
    """迁移接收: the receiving county took the card over; the card's own `CardTransferred`
    is written in the same transaction."""

    event_type: ClassVar[str] = "cn.canlian.cards.transfer.accepted"


class CardTransferRejected(_TransferRequestEvent):
    """迁移拒绝: the receiving county refused; the card stays where it was."""

    event_type: ClassVar[str] = "cn.canlian.cards.transfer.rejected"


class CardTransferWithdrawn(_TransferRequestEvent):
    """迁移撤回: the sending county took its request back before a decision."""

    event_type: ClassVar[str] = "cn.canlian.cards.transfer.withdrawn"
