"""The one door over HTTP (issue #7): a logged-in sales rep calls the server's
JSON-RPC the way the browser's developer tools can, with a hostile context."""

import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "customer_complaint")
class TestJsonRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        cls.rep = new_test_user(
            cls.env,
            "cc_rpc_rep",
            password="cc_rpc_rep_pw",
            name="RPC Rep",
            groups="customer_complaint.group_complaint_sales_rep",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Customer", "user_id": cls.rep.id}
        )
        cls.complaint = (
            cls.env["customer.complaint"]
            .with_user(cls.rep)
            .create({"partner_id": cls.customer.id, "description": "kettle leaks"})
        )

    def call_kw(self, model, method, args, kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_a_hostile_write_over_json_rpc_is_refused(self):
        self.authenticate("cc_rpc_rep", "cc_rpc_rep_pw")
        c = self.complaint
        answer = self.call_kw(
            "customer.complaint",
            "write",
            [
                [c.id],
                {"state": "closed", "severity": "4", "escalation_due_at": "9999-12-31 00:00:00"},
            ],
            {"context": {"complaint_workflow": True, "complaint_no_refresh": True}},
        )
        self.assertIn("error", answer)
        self.assertIn("only through its workflow steps", answer["error"]["data"]["message"])
        answer = self.call_kw(
            "customer.complaint", "_write_rule", [[c.id], {"state": "closed"}], {}
        )
        self.assertIn("error", answer)  # private methods are not callable over RPC
        answer = self.call_kw(
            "customer.complaint", "write", [[c.id], {"received_at": "0001-01-01 00:00:00"}], {}
        )
        self.assertIn("out of range", answer["error"]["data"]["message"])
        c.invalidate_recordset()
        self.assertEqual(c.state, "registered")
        self.assertNotEqual(str(c.escalation_due_at)[:4], "9999")
        # the rep's own allowed step, over the same door, works
        answer = self.call_kw(
            "customer.complaint", "write", [[c.id], {"description": "kettle leaks at the lid"}], {}
        )
        self.assertNotIn("error", answer)
