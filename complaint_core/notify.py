"""Who must be told of a complaint, beside its handler (SPEC §4 notifications).

Every product-quality complaint is made known to the general manager and the
management representative (管理者代表); a level-1 complaint to them at once;
transferred and media cases to the person in charge of public relations. Each
notice is sent once: the caller records the keys it sent and passes them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .effects import Notify
from .model import Channel, Kind, State
from .policy import Policy

PRODUCT_QUALITY = "product_quality"
LEVEL1 = "level1"
PUBLIC_RELATIONS = "public_relations"
# the audiences: people the shell configures (company policy settings)
TOP = ("general_manager", "management_rep")
PR = ("public_relations",)
_SILENT_STATES = frozenset({State.WITHDRAWN, State.NOT_VALID})


@dataclass(frozen=True)
class NoticeFacts:
    """What the notification rules need to know about a case."""

    kind: Kind
    state: State
    category: str | None = None
    level: int | None = None
    channel: Channel = Channel.PHONE
    media_exposure: bool = False


def is_product_quality(
    category: str | None, policy: Policy, quality_categories: Iterable[str] | None = None
) -> bool:
    """The category, or one of its parents, is a product-quality one (by default
    the categories that take two approvals)."""
    if not category:
        return False
    codes = set(quality_categories or ()) or set(policy.authority.two_stage_categories)
    return bool({category, *policy.category_ancestors(category)} & codes)


def stakeholder_notices(
    facts: NoticeFacts,
    policy: Policy,
    *,
    sent: Iterable[str] = (),
    quality_categories: Iterable[str] | None = None,
) -> tuple[Notify, ...]:
    """The notices due now and not sent yet (none for a withdrawn or not-valid case)."""
    if State(facts.state) in _SILENT_STATES:
        return ()
    sent = set(sent)
    out = []
    if (
        PRODUCT_QUALITY not in sent
        and facts.kind == Kind.COMPLAINT
        and is_product_quality(facts.category, policy, quality_categories)
    ):
        out.append(Notify(PRODUCT_QUALITY, "product-quality complaint", TOP))
    if LEVEL1 not in sent and facts.level == 1:
        out.append(Notify(LEVEL1, "level-1 complaint", TOP))
    if PUBLIC_RELATIONS not in sent and (
        Channel(facts.channel).transferred or facts.media_exposure
    ):
        out.append(
            Notify(
                PUBLIC_RELATIONS, "transferred by an authority or the media, or media exposure", PR
            )
        )
    return tuple(out)
