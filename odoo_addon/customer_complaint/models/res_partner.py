from odoo import api, fields, models

from complaint_core.model import OPEN_STATES

COMPLAINT_READERS = (
    "customer_complaint.group_complaint_sales_rep,customer_complaint.group_complaint_auditor"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # complaint users only: reading a partner must work for every employee
    complaint_ids = fields.One2many(
        "customer.complaint", "partner_id", string="Complaints", groups=COMPLAINT_READERS
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count", groups=COMPLAINT_READERS)
    complaint_open_count = fields.Integer(
        compute="_compute_complaint_count", groups=COMPLAINT_READERS
    )
    # the smart button's two lines, one figure each: "2 Complaints", "1 open"
    complaint_count_label = fields.Char(
        string="Complaints Figure", compute="_compute_complaint_count", groups=COMPLAINT_READERS
    )
    complaint_open_label = fields.Char(
        string="Open Complaints Figure",
        compute="_compute_complaint_count",
        groups=COMPLAINT_READERS,
    )
    complaint_vip = fields.Boolean(
        string="VIP Customer (Complaints)",
        help="SPEC §2: complaints of VIP customers are one level more severe.",
    )

    @api.depends("complaint_ids.state")
    def _compute_complaint_count(self):
        Complaint = self.env["customer.complaint"]
        total, open_ = {}, {}
        if self.ids:
            for partner, state, count in Complaint._read_group(
                [("partner_id", "in", self.ids)], ["partner_id", "state"], ["__count"]
            ):
                total[partner.id] = total.get(partner.id, 0) + count
                if state in OPEN_STATES:
                    open_[partner.id] = open_.get(partner.id, 0) + count
        for partner in self:
            count = total.get(partner.id, 0)
            open_count = open_.get(partner.id, 0)
            partner.complaint_count = count
            partner.complaint_open_count = open_count
            partner.complaint_count_label = (
                self.env._("%(count)s Complaint", count=count)
                if count == 1
                else self.env._("%(count)s Complaints", count=count)
            )
            partner.complaint_open_label = self.env._("%(count)s open", count=open_count)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_complaint.customer_complaint_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_log_complaint(self):
        """Open a registration form prefilled from this customer (SPEC §8: reps
        log complaints from the customer's record)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Complaint"),
            "res_model": "customer.complaint",
            "view_mode": "form",
            "views": [(self.env.ref("customer_complaint.customer_complaint_view_form").id, "form")],
            "target": "current",
            "context": self._complaint_defaults(),
        }

    def _complaint_defaults(self):
        self.ensure_one()
        address = self._display_address(without_company=True) if self.street or self.city else ""
        contact = self if self.parent_id else self.child_ids[:1]
        return {
            "default_partner_id": self.id,
            "default_contact_name": contact.name if contact and contact != self else "",
            "default_phone": self.phone or self.mobile or "",
            "default_email": self.email or "",
            "default_address": address,
        }
