from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ComplaintPause(models.Model):
    """SPEC §3: a clock paused while waiting on the customer; paused time never
    counts toward a limit. Started and ended only by the complaint's Pause and
    Resume steps (start = now, a reason): never back-dated, edited or removed. The
    access rights give nobody write access; the steps write as superuser after
    checking the user may write the complaint, and `write` still allows only the
    end, once."""

    _name = "complaint.pause"
    _description = "Complaint Clock Pause"
    _order = "start_at"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    start_at = fields.Datetime(required=True, readonly=True)
    end_at = fields.Datetime(readonly=True)
    reason = fields.Char(required=True, readonly=True)

    @api.constrains("start_at", "end_at")
    def _check_dates(self):
        for p in self:
            if p.end_at and p.end_at < p.start_at:
                raise ValidationError(self.env._("A pause cannot end before it starts."))

    @api.model
    def _start(self, complaint, now, reason):
        return self.sudo().create({"complaint_id": complaint.id, "start_at": now, "reason": reason})

    def _end(self, now):
        return self.sudo().write({"end_at": now})

    def _refuse(self):
        raise UserError(
            self.env._(
                "Pauses start and end only through the complaint's Pause and Resume buttons."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._refuse()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._refuse()
        if set(vals) - {"end_at"} or any(p.end_at for p in self):
            self._refuse()
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._refuse()
        return super().unlink()
