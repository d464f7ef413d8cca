"""survey.user_input: the customer's answer to the satisfaction survey of one
complaint's follow-up.

The link to the complaint is set by the server when the follow-up sends the
survey (`_set_complaint`), never by a caller: `create()` and `write()` refuse
it whoever calls, so nobody (a survey officer by RPC included) can point an
answer at another complaint and write its satisfaction. Public and portal
users have no access to survey.user_input at all (Odoo's survey rights); they
answer through the survey pages with the answer's own token.
"""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

# set only by _set_complaint
COMPLAINT_FIELDS = frozenset({"complaint_id", "complaint_follow_up_at"})
COMPLAINT_GROUPS = (
    "customer_complaint.group_complaint_sales_rep,customer_complaint.group_complaint_auditor"
)


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    complaint_id = fields.Many2one(
        "customer.complaint",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups=COMPLAINT_GROUPS,
        help="The complaint whose follow-up sent this survey; its answers land there.",
    )
    complaint_follow_up_at = fields.Datetime(
        string="Complaint Follow-up",
        readonly=True,
        copy=False,
        groups=COMPLAINT_GROUPS,
        help="The follow-up step of the complaint this survey was sent for: answers count "
        "only while the complaint is still at that follow-up.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_complaint_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        if COMPLAINT_FIELDS & set(vals):
            self.check_access("write")  # who may not write at all hears that first
        self._check_complaint_fields(vals)
        return super().write(vals)

    def _check_complaint_fields(self, vals):
        if COMPLAINT_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "The complaint of a survey answer is set when the complaint's follow-up "
                    "sends the survey, never by hand."
                )
            )

    def _set_complaint(self, complaint):
        """The only writer of the complaint link (private: no RPC caller reaches it)."""
        return super().write(
            {"complaint_id": complaint.id, "complaint_follow_up_at": complaint.follow_up_at}
        )

    def _mark_done(self):
        """Completed: the answers land on the complaint the survey was sent for,
        recorded by the system (the customer answering is the public or a portal
        user, who has no rights on complaints); what it sends is queued, not sent
        during the customer's request."""
        res = super()._mark_done()
        for user_input in self.sudo().filtered("complaint_id"):
            user_input.complaint_id.with_user(SUPERUSER_ID).with_context(
                mail_notify_force_send=False
            )._survey_answered(user_input)
        return res

    def _complaint_survey_url(self):
        """The survey's start link for the customer, in the customer's language
        (the language prefix of the survey pages, when it is not the default)."""
        self.ensure_one()
        url = self.get_base_url() + self.get_start_url()
        lang_code = self.partner_id.lang
        if not lang_code:
            return url
        langs = self.env["res.lang"]
        lang = langs._get_data(code=lang_code)
        default = self.env["ir.default"].sudo()._get("res.partner", "lang") or next(
            iter(langs._get_active_by("code")), None
        )
        if not lang.url_code or lang_code == default:
            return url
        return f"{self.get_base_url()}/{lang.url_code}{self.get_start_url()}"
