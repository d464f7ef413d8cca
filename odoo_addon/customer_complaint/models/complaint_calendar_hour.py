from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class ComplaintCalendarHour(models.Model):
    """One span of working time on a weekday (e.g. Monday 09:00-12:00)."""

    _name = "complaint.calendar.hour"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Calendar Working Hours"
    _order = "weekday, hour_from"

    calendar_id = fields.Many2one("complaint.calendar", required=True, ondelete="cascade")
    weekday = fields.Selection(WEEKDAYS, required=True, default="0")
    hour_from = fields.Float(string="From", required=True, help="Start time, e.g. 9.0 = 09:00")
    hour_to = fields.Float(string="To", required=True, help="End time, e.g. 12.0 = 12:00")

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for line in self:
            if not 0 <= line.hour_from < line.hour_to <= 24:
                raise ValidationError(
                    self.env._("A working-time span must start before it ends, within one day.")
                )
