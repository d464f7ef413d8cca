from odoo import fields, models


class ComplaintCapa(models.Model):
    """SPEC §4 纠正/预防措施: a corrective or preventive action opened by a finding."""

    _name = "complaint.capa"
    _description = "Complaint Corrective/Preventive Action"
    _order = "due_date, id"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        default="corrective",
        required=True,
    )
    root_cause = fields.Text()
    action = fields.Text(required=True)
    owner_id = fields.Many2one("res.users")
    due_date = fields.Date()
    verification = fields.Text(help="How the effectiveness was verified.")
    verified = fields.Boolean()
    verified_by_id = fields.Many2one("res.users", readonly=True)
    verified_at = fields.Datetime(readonly=True)

    def write(self, vals):
        if vals.get("verified"):
            vals = dict(vals, verified_by_id=self.env.uid, verified_at=fields.Datetime.now())
        return super().write(vals)
