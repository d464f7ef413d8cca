"""What a decision of the core changes besides the state: typed effects.

A shell (the CLI, the Odoo adapter) maps each effect to its own storage and adds
no rule of its own: it never parses strings, never decides which event times a
step back clears, and never decides whom to tell (ARCHITECTURE "The seam").
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Kind, State

# SPEC §3/§4: the event each state of the main line marks when it is reached; the
# first four start milestones (policy.START_EVENTS), ``follow_up`` marks one done.
STATE_EVENTS = {
    State.TRIAGED: "triaged",
    State.APPROVED: "approved",
    State.REPLIED: "replied",
    State.REMEDY_DONE: "remedy_done",
    State.FOLLOW_UP: "follow_up",
}
MAIN_LINE = (
    State.REGISTERED,
    State.TRIAGED,
    State.INVESTIGATING,
    State.DETERMINED,
    State.REMEDY_PROPOSED,
    State.APPROVED,
    State.REPLIED,
    State.REMEDY_DONE,
    State.FOLLOW_UP,
    State.CLOSED,
)


class Effect:
    """Base of the effects; each is a frozen dataclass."""


@dataclass(frozen=True)
class EventReached(Effect):
    """``event`` (a value of `STATE_EVENTS`) happened at the step's time."""

    event: str


@dataclass(frozen=True)
class EventsCleared(Effect):
    """The case went back: the times of these events no longer hold."""

    events: tuple[str, ...]


@dataclass(frozen=True)
class KindChanged(Effect):
    kind: Kind


@dataclass(frozen=True)
class ProposerSet(Effect):
    """Who proposed the remedy: nobody approves their own proposal."""

    actor_id: str


@dataclass(frozen=True)
class ApprovalRoundStarted(Effect):
    """The decisions taken so far are void; the route is asked again from its
    first stage (a new proposal, or remedies changed while being approved)."""


@dataclass(frozen=True)
class ApprovalsRequested(Effect):
    """Ask the approvers of the route's next stage."""


@dataclass(frozen=True)
class CustomerAnswerCleared(Effect):
    """The customer's acceptance and satisfaction answers no longer hold."""


@dataclass(frozen=True)
class CustomerAccepted(Effect):
    """The customer accepted the remedy (处理协议), recorded with the customer as actor."""


@dataclass(frozen=True)
class RecomplaintMarked(Effect):
    """A reopen: the case counts as a re-complaint (二次投诉, SPEC §2)."""


@dataclass(frozen=True)
class InvestigationStarted(Effect):
    """From now on the item cannot go back to being a request or suggestion."""


@dataclass(frozen=True)
class CaseClosed(Effect):
    """The case reached a final state at the step's time."""


@dataclass(frozen=True)
class CaseReopened(Effect):
    """A closed case is open again: its closing time no longer holds."""


@dataclass(frozen=True)
class Notify(Effect):
    """Tell the people holding ``audience`` (policy roles of notification, e.g.
    ``general_manager``, ``management_rep``, ``public_relations``) about
    ``reason``; ``key`` is recorded so it is never sent twice."""

    key: str
    reason: str
    audience: tuple[str, ...]


def events_after(state: State) -> tuple[str, ...]:
    """The events of the main line that lie beyond ``state`` (cleared when a case
    goes back to it); none for a side exit."""
    if state not in MAIN_LINE:
        return ()
    rank = MAIN_LINE.index(state)
    return tuple(event for s, event in STATE_EVENTS.items() if MAIN_LINE.index(s) > rank)
