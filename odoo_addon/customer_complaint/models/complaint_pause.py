from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintPause(models.Model):
    """SPEC §3: a clock paused while waiting on the customer; paused time never
    counts toward a limit."""

    _name = "complaint.pause"
    _description = "Complaint Clock Pause"
    _order = "start_at"

    complaint_id = fields.Many2one("customer.complaint", required=True, ondelete="cascade",
                                   index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    start_at = fields.Datetime(required=True, default=fields.Datetime.now)
    end_at = fields.Datetime()
    reason = fields.Char()

    @api.constrains("start_at", "end_at")
    def _check_dates(self):
        for p in self:
            if p.end_at and p.end_at < p.start_at:
                raise ValidationError(self.env._("A pause cannot end before it starts."))
