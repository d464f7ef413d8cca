"""SPEC §4 notifications: who is told of which complaint, once."""

from complaint_core.effects import Notify
from complaint_core.model import Channel, Kind, State
from complaint_core.notify import (
    LEVEL1,
    PR,
    PRODUCT_QUALITY,
    PUBLIC_RELATIONS,
    TOP,
    NoticeFacts,
    stakeholder_notices,
)
from complaint_core.policy import default_policy

POLICY = default_policy()


def keys(facts, **kw):
    return [n.key for n in stakeholder_notices(facts, POLICY, **kw)]


def test_product_quality_level1_and_media_each_once():
    facts = NoticeFacts(
        kind=Kind.COMPLAINT,
        state=State.REGISTERED,
        category="product_quality",
        level=1,
        channel=Channel.MEDIA,
    )
    notices = stakeholder_notices(facts, POLICY)
    assert [(n.key, n.audience) for n in notices] == [
        (PRODUCT_QUALITY, TOP),
        (LEVEL1, TOP),
        (PUBLIC_RELATIONS, PR),
    ]
    assert all(isinstance(n, Notify) for n in notices)
    assert keys(facts, sent=[PRODUCT_QUALITY, LEVEL1, PUBLIC_RELATIONS]) == []
    assert keys(facts, sent=[PRODUCT_QUALITY]) == [LEVEL1, PUBLIC_RELATIONS]


def test_nothing_for_requests_service_cases_and_silent_states():
    request = NoticeFacts(kind=Kind.REQUEST, state=State.REGISTERED, category="product_quality")
    assert keys(request) == []
    service = NoticeFacts(
        kind=Kind.COMPLAINT, state=State.REGISTERED, category="service_attitude", level=3
    )
    assert keys(service) == []
    assert (
        keys(NoticeFacts(kind=Kind.COMPLAINT, state=State.NOT_VALID, level=1, media_exposure=True))
        == []
    )


def test_configured_quality_categories_replace_the_default():
    facts = NoticeFacts(kind=Kind.COMPLAINT, state=State.TRIAGED, category="delivery")
    assert keys(facts) == []
    assert keys(facts, quality_categories=["delivery"]) == [PRODUCT_QUALITY]
