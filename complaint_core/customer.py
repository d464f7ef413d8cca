"""The customer's side of a case (SPEC §1 受理回执, §4 written reply, §5 回访).

What the customer is told, and when: the acknowledgement at registration (the
number, what happens next, the promised date of the answer) for the channels the
policy names; a progress notice when the case reaches a state the policy names
(the reply step is the written reply itself, registration has the
acknowledgement); the state in customer words. And what a follow-up answer
means: the overall satisfaction of a questionnaire and what follows a
dissatisfied one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .errors import InputError
from .model import Channel, State, _Str
from .policy import Policy
from .stats.figures import check_answer

OVERALL = "overall"  # the question code of the overall satisfaction


class CustomerStage(_Str):
    """A case's state as the customer reads it."""

    RECEIVED = "received"  # 已受理
    IN_PROGRESS = "in_progress"  # 处理中
    ANSWERED = "answered"  # 已答复: the written reply waits for the customer's answer
    RESOLVED = "resolved"  # 已解决: the remedy is carried out, the follow-up is due
    CLOSED = "closed"  # 已结案


_STAGES = {
    State.REGISTERED: CustomerStage.RECEIVED,
    State.TRIAGED: CustomerStage.IN_PROGRESS,
    State.INVESTIGATING: CustomerStage.IN_PROGRESS,
    State.DETERMINED: CustomerStage.IN_PROGRESS,
    State.REMEDY_PROPOSED: CustomerStage.IN_PROGRESS,
    State.APPROVED: CustomerStage.IN_PROGRESS,
    State.REPLIED: CustomerStage.ANSWERED,
    State.REMEDY_DONE: CustomerStage.RESOLVED,
    State.FOLLOW_UP: CustomerStage.RESOLVED,
    State.CLOSED: CustomerStage.CLOSED,
    State.NOT_VALID: CustomerStage.CLOSED,
    State.WITHDRAWN: CustomerStage.CLOSED,
}


def customer_stage(state: State | str) -> CustomerStage:
    """The state in customer words: internal steps (approval, determination ...)
    are "in progress" to the customer."""
    try:
        return _STAGES[State(state)]
    except ValueError:
        raise InputError(
            f"unknown state {state!r}", code="state_unknown", value=str(state)
        ) from None


def acknowledges(channel: Channel | str, policy: Policy) -> bool:
    """The customer gets an acknowledgement at registration by this channel."""
    try:
        return Channel(channel) in policy.customers.acknowledge_channels
    except ValueError:
        raise InputError(
            f"unknown channel {channel!r}", code="channel_unknown", value=str(channel)
        ) from None


def promised_at(due: Mapping[str, datetime | None], policy: Policy) -> datetime | None:
    """The promised date of the answer: the due time of the policy's promise
    milestone among ``due`` (milestone code -> due time), if it applies."""
    return due.get(policy.customers.promise_milestone)


def progress_notice(from_state: State | str, to_state: State | str, policy: Policy) -> bool:
    """A step moved the case to ``to_state``: is the customer told (one notice per
    step, never for a step that keeps the state)?"""
    to_state = State(to_state)
    return State(from_state) != to_state and to_state in policy.customers.notify_states


def overall_satisfaction(answers: Mapping[str, int], policy: Policy) -> int | None:
    """The overall satisfaction of a questionnaire (question code -> scale value):
    the answer to the question coded ``overall`` when there is one, else the
    lowest answer (the customer is as satisfied as their least satisfied answer);
    None without answers. Every answer must be on the policy's scale."""
    checked = {code: check_answer(value, policy) for code, value in answers.items()}
    if not checked:
        return None
    if OVERALL in checked:
        return checked[OVERALL]
    return min(checked.values())


def dissatisfied_response(satisfaction: int | None, policy: Policy) -> str | None:
    """What follows a satisfaction answer (SPEC §5): ``reopen`` or
    ``manager_decides`` (between reopening and an explained closing) for a
    dissatisfied one, as the policy says; None otherwise."""
    if satisfaction is None:
        return None
    if check_answer(satisfaction, policy) not in policy.satisfaction.dissatisfied:
        return None
    return policy.customers.dissatisfied
