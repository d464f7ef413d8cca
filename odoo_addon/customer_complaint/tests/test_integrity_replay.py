"""A property of the whole workflow (issue #7): for random sequences of steps by
random users, every step the core refuses changes nothing, and the audit trail
replays to the current state."""

import random
from contextlib import suppress

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase

ACTIONS = (
    "action_triage",
    "action_start_investigation",
    "action_determine",
    "action_propose_remedy",
    "action_approve_stage",
    "action_reject_stage",
    "action_revise_remedy",
    "action_reply",
    "action_customer_rejects",
    "action_remedy_done",
    "action_follow_up",
    "action_close",
    "action_reopen",
    "action_mark_not_valid",
    "action_withdraw",
    "action_pause",
    "action_resume",
)
WATCHED = (
    "state",
    "severity",
    "approval_round",
    "proposed_by_id",
    "approved_fingerprint",
    "closed_at",
    "recomplaint",
    "user_id",
)


@tagged("post_install", "-at_install", "customer_complaint")
class TestReplay(ComplaintCase):
    def _facts_for(self, c, rng):
        """What a person fills in before pressing a button (any of it, at random)."""
        choice = rng.randrange(6)
        values = {}
        if choice == 0:
            values["user_id"] = self.handler.id
        elif choice == 1:
            values["finding"] = rng.choice(["misuse", "undetermined"])
        elif choice == 2:
            values["action_reason"] = "step reason"
        elif choice == 3:
            values["customer_accepted"] = "accepted"
        elif choice == 4:
            values["satisfaction"] = rng.choice(["4", "5", "1"])
        elif choice == 5 and c.state in ("investigating", "determined"):
            values["remedy_ids"] = [(0, 0, {"type": "apology", "amount": rng.choice([0, 40])})]
        with suppress(UserError, ValidationError, AccessError), self.env.cr.savepoint():
            c.with_user(self.manager).write(values)

    def test_random_steps_keep_the_trail_true(self):
        rng = random.Random(20261201)
        users = [self.rep, self.handler, self.quality, self.manager, self.director]
        self.manager.complaint_authority_level_id = self.level_director
        for case in range(4):
            c = self.make(category_id=rng.choice([self.cat_delivery, self.cat_service]).id)
            for _step in range(30):
                self._facts_for(c, rng)
                user = rng.choice(users)
                action = rng.choice(ACTIONS)
                c.invalidate_recordset()
                before = {f: c[f] for f in WATCHED}
                audits = len(c.audit_ids)
                try:
                    with self.env.cr.savepoint():
                        getattr(c.with_user(user), action)()
                except (UserError, ValidationError, AccessError):
                    c.invalidate_recordset()
                    self.assertEqual(
                        {f: c[f] for f in WATCHED},
                        before,
                        f"case {case}: refused {action} by {user.login} changed",
                    )
                    self.assertEqual(len(c.audit_ids), audits)
            trail = c.audit_ids.sorted(lambda a: (a.at, a.id))
            state = "registered"
            for entry in trail:
                if entry.action == "register":
                    self.assertEqual(entry.to_state, "registered")
                    continue
                self.assertEqual(
                    entry.from_state,
                    state,
                    f"case {case}: {entry.action} starts from {entry.from_state}",
                )
                state = entry.to_state
            self.assertEqual(state, c.state, f"case {case}: the trail ends in {state}")
