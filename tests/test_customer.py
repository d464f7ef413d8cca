"""The customer's side of a case: acknowledgement, progress notices, the
customer's acceptance step, the overall satisfaction and what follows a
dissatisfied answer (SPEC §1, §4, §5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from complaint_core import customer
from complaint_core.effects import CustomerAccepted
from complaint_core.errors import AuthorityError, InputError, PolicyError, TransitionError
from complaint_core.model import Channel, Role, State
from complaint_core.policy import Policy, default_policy, default_policy_data
from complaint_core.workflow import Actor, CaseFacts, allowed_actions, transition

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CUSTOMER = Actor("partner:7", frozenset({Role.CUSTOMER}))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def with_customers(**section) -> Policy:
    data = default_policy_data()
    data["customers"] = section
    return Policy.from_dict(data)


def test_every_channel_acknowledged_by_default(policy):
    assert all(customer.acknowledges(c, policy) for c in Channel)


def test_acknowledgement_switched_off_for_phone():
    p = with_customers(acknowledge_channels=["email", "web"])
    assert customer.acknowledges("email", p)
    assert not customer.acknowledges(Channel.PHONE, p)
    with pytest.raises(InputError):
        customer.acknowledges("pigeon", p)


def test_promised_date_is_the_promise_milestones_due_time(policy):
    due = {"first_contact": NOW, "resolution": NOW.replace(day=5)}
    assert customer.promised_at(due, policy) == NOW.replace(day=5)
    assert customer.promised_at({"first_contact": NOW}, policy) is None
    assert customer.promised_at(due, with_customers(promise_milestone="first_contact")) == NOW


def test_progress_notice_once_per_step_into_a_named_state(policy):
    assert customer.progress_notice(State.REGISTERED, State.TRIAGED, policy)
    assert customer.progress_notice("follow_up", "closed", policy)
    # not for steps the customer does not hear of, nor for a step keeping the state
    assert not customer.progress_notice(State.TRIAGED, State.INVESTIGATING, policy)
    assert not customer.progress_notice(State.REPLIED, State.REPLIED, policy)


def test_policy_refuses_unknown_customer_settings():
    data = default_policy_data()
    data["customers"] = {
        "acknowledge_channels": ["email", "pigeon"],
        "notify_states": ["replied"],
        "promise_milestone": "nope",
        "dissatisfied": "ignore",
        "colour": "red",
    }
    with pytest.raises(PolicyError) as exc:
        Policy.from_dict(data)
    paths = {p.location for p in exc.value.problems}
    assert paths == {
        "customers.acknowledge_channels[1]",
        "customers.notify_states[0]",
        "customers.promise_milestone",
        "customers.dissatisfied",
        "customers.colour",
    }


def test_customer_stage_words():
    assert customer.customer_stage("approved") is customer.CustomerStage.IN_PROGRESS
    assert customer.customer_stage(State.REPLIED) is customer.CustomerStage.ANSWERED
    assert customer.customer_stage(State.NOT_VALID) is customer.CustomerStage.CLOSED
    assert {customer.customer_stage(s) for s in State} == set(customer.CustomerStage)
    with pytest.raises(InputError):
        customer.customer_stage("lost")


def test_overall_satisfaction(policy):
    assert customer.overall_satisfaction({"timeliness": 5, "overall": 2}, policy) == 2
    assert customer.overall_satisfaction({"timeliness": 5, "result": 3}, policy) == 3
    assert customer.overall_satisfaction({}, policy) is None
    with pytest.raises(InputError):
        customer.overall_satisfaction({"overall": 9}, policy)


def test_dissatisfied_response_follows_the_policy(policy):
    assert customer.dissatisfied_response(2, policy) == "reopen"
    assert customer.dissatisfied_response(1, policy) == "reopen"
    assert customer.dissatisfied_response(3, policy) is None
    assert customer.dissatisfied_response(None, policy) is None
    manager = with_customers(dissatisfied="manager_decides")
    assert customer.dissatisfied_response(1, manager) == "manager_decides"


def test_customer_accepts_records_and_keeps_the_state(policy):
    case = CaseFacts(state=State.REPLIED)
    assert "customer_accepts" in allowed_actions(case, CUSTOMER, policy)
    result = transition(case, "customer_accepts", CUSTOMER, policy, NOW)
    assert result.state is State.REPLIED
    assert result.effect(CustomerAccepted) == CustomerAccepted()
    assert result.audit.actor_id == "partner:7"
    accepted = CaseFacts(state=State.REPLIED, customer_accepted=True)
    assert "customer_accepts" not in allowed_actions(accepted, CUSTOMER, policy)
    with pytest.raises(TransitionError) as exc:
        transition(accepted, "customer_accepts", CUSTOMER, policy, NOW)
    assert exc.value.code == "already_accepted"


def test_customer_rejects_with_a_reason_only(policy):
    case = CaseFacts(state=State.REPLIED)
    with pytest.raises(TransitionError) as exc:
        transition(case, "customer_rejects", CUSTOMER, policy, NOW)
    assert exc.value.code == "reason_required"
    result = transition(case, "customer_rejects", CUSTOMER, policy, NOW, "too little")
    assert result.state is State.DETERMINED


def test_the_customer_takes_no_internal_step(policy):
    for state in State:
        allowed = set(allowed_actions(CaseFacts(state=state), CUSTOMER, policy))
        assert allowed <= {"customer_accepts", "customer_rejects", "reopen"}
    with pytest.raises(AuthorityError):
        transition(CaseFacts(state=State.APPROVED), "reply", CUSTOMER, policy, NOW)


def test_an_old_policy_file_gives_acceptance_the_rejection_roles():
    data = default_policy_data()
    roles = data["workflow"]["roles"]
    del roles["customer_accepts"]
    roles["customer_rejects"] = ["sales_rep"]
    p = Policy.from_dict(data)
    assert p.workflow.roles["customer_accepts"] == frozenset({Role.SALES_REP})
