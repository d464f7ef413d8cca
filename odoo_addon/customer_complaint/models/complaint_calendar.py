from odoo import fields, models

from odoo.addons.base.models.res_partner import _tz_get


class ComplaintCalendar(models.Model):
    """SPEC §3 business calendar: working hours per weekday, a time zone, public
    holidays of a country (with make-up working days) and company overrides."""

    _name = "complaint.calendar"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Business Calendar"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    timezone = fields.Selection(_tz_get, required=True, default="Asia/Shanghai")
    holidays_country = fields.Char(
        default="CN",
        help="Country code of the public holidays (and make-up working days) to apply, "
        "as the holidays library knows them; empty for none.",
    )
    hour_ids = fields.One2many(
        "complaint.calendar.hour", "calendar_id", string="Working Hours", copy=True
    )
    day_ids = fields.One2many(
        "complaint.calendar.day", "calendar_id", string="Holidays and Make-up Days", copy=True
    )
    active = fields.Boolean(default=True)

    def _spec_data(self):
        """The ``calendar`` section of the core's policy data."""
        self.ensure_one()
        weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        hours = {wd: [] for wd in weekdays}
        for line in self.hour_ids.sorted(lambda h: (h.weekday, h.hour_from)):
            hours[weekdays[int(line.weekday)]].append(
                f"{_hhmm(line.hour_from)}-{_hhmm(line.hour_to)}"
            )
        return {
            "timezone": self.timezone,
            "holidays": (self.holidays_country or "").strip().upper() or None,
            "hours": hours,
            "extra_holidays": sorted(
                d.date.isoformat() for d in self.day_ids if d.day_type == "holiday"
            ),
            "extra_workdays": sorted(
                d.date.isoformat() for d in self.day_ids if d.day_type == "workday"
            ),
        }


def _hhmm(value):
    minutes = round(value * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
