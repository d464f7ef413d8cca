from odoo import fields, models


class ComplaintCalendarDay(models.Model):
    """A company override of the public-holiday calendar: an extra closing day,
    or an extra working day on a weekend/holiday (SPEC §3 make-up working days)."""

    _name = "complaint.calendar.day"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Calendar Holiday or Make-up Day"
    _order = "date"

    calendar_id = fields.Many2one("complaint.calendar", required=True, ondelete="cascade")
    date = fields.Date(required=True)
    day_type = fields.Selection(
        [("holiday", "Company holiday"), ("workday", "Make-up working day")],
        string="Type",
        required=True,
        default="holiday",
    )
    name = fields.Char(string="Description")
