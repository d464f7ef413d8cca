"""customer.complaint: the satisfaction survey of the follow-up (SPEC §5 回访).

The follow-up step sends the company's survey to the customer by e-mail, in
their language; the completed survey's answers land on the complaint per
question, the overall satisfaction and the satisfaction rate come from the
core, and a dissatisfied answer is handled as the policy says
(`_after_satisfaction` of the main module: reopen, or a manager decides)."""

from odoo import api, fields, models

from odoo.addons.customer_complaint.models.core_errors import core_errors

from complaint_core import effects as fx
from complaint_core.customer import overall_satisfaction
from complaint_core.model import State
from complaint_core.stats.figures import check_answer

from .survey_question import SCALE_CODES

INVITE_TEMPLATE = "customer_complaint_survey.mail_template_complaint_survey_invite"
SURVEY_STATES = [
    ("sent", "Sent"),
    ("in_progress", "Being answered"),
    ("done", "Answered"),
]


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    survey_answer_ids = fields.One2many(
        "complaint.survey.answer",
        "complaint_id",
        string="Satisfaction Answers",
        readonly=True,
    )
    survey_state = fields.Selection(
        SURVEY_STATES,
        string="Survey",
        compute="_compute_survey_state",
        compute_sudo=True,
        help="Where the satisfaction survey of the current follow-up stands.",
    )
    survey_user_input_ids = fields.One2many(
        "survey.user_input",
        "complaint_id",
        string="Survey Answers",
        readonly=True,
        groups="survey.group_survey_user",
    )
    survey_user_input_count = fields.Integer(
        compute="_compute_survey_user_input_count", groups="survey.group_survey_user"
    )

    # -- computes ---------------------------------------------------------------

    # the satisfaction figures of the main module (satisfied / answers received,
    # stored for the pivot and the statistics) count the survey's answers

    @api.depends(
        "satisfaction", "company_id", "survey_answer_ids.value", "survey_answer_ids.voided"
    )
    def _compute_satisfaction_figures(self):
        return super()._compute_satisfaction_figures()

    @api.depends(
        "satisfaction", "company_id", "survey_answer_ids.value", "survey_answer_ids.voided"
    )
    def _compute_satisfaction_rate(self):
        return super()._compute_satisfaction_rate()

    def _stats_satisfaction(self):
        """The answers to the survey's scale questions (one per question), where
        they hold; else the satisfaction recorded by hand."""
        values = self._satisfaction_values()
        if values:
            with core_errors(self.env):
                return tuple(check_answer(v, self._policy()) for v in values.values())
        return super()._stats_satisfaction()

    @api.depends("follow_up_at")
    def _compute_survey_state(self):
        states = {"new": "sent", "in_progress": "in_progress", "done": "done"}
        for rec in self:
            current = rec._current_survey_inputs()[:1]
            rec.survey_state = states.get(current.state, False) if current else False

    def _compute_survey_user_input_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for rec in self:
            rec.survey_user_input_count = counts.get(rec, 0)

    def _satisfaction_values(self):
        """The scale answers that hold (code -> value), of the latest survey."""
        self.ensure_one()
        answers = self.survey_answer_ids.filtered(
            lambda a: not a.voided and a.question_code in SCALE_CODES and a.value
        )
        return {a.question_code: a.value for a in answers.sorted("id")}

    def _current_survey_inputs(self):
        """The survey answers sent for the follow-up the complaint is at now."""
        self.ensure_one()
        if not self.follow_up_at:
            return self.env["survey.user_input"]
        return (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("complaint_id", "=", self.id),
                    ("complaint_follow_up_at", "=", self.follow_up_at),
                ],
                order="id desc",
            )
        )

    def action_view_survey_answers(self):
        """The survey answers sent for this complaint (survey officers)."""
        self.ensure_one()
        inputs = self.survey_user_input_ids
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Survey Answers"),
            "res_model": "survey.user_input",
            "domain": [("id", "in", inputs.ids)],
            "view_mode": "list,form",
            "context": {"create": False},
        }
        if len(inputs) == 1:
            action.update(view_mode="form", res_id=inputs.id)
        return action

    # -- the one door -------------------------------------------------------------

    def _rule_fields(self):
        """The answers are written by the completed survey only."""
        return super()._rule_fields() | {"survey_answer_ids"}

    def _apply_effects(self, effects, now):
        """When the core says the customer's answers no longer hold (a reopen, a
        new remedy), the survey's answers are voided with the satisfaction."""
        vals, after = super()._apply_effects(effects, now)
        if any(isinstance(effect, fx.CustomerAnswerCleared) for effect in effects):
            after.append(self._void_survey_answers)
        return vals, after

    def _void_survey_answers(self):
        self.survey_answer_ids.filtered(lambda a: not a.voided).sudo().write({"voided": True})

    # -- the follow-up step sends the survey -------------------------------------------

    def action_follow_up(self):
        res = super().action_follow_up()
        self._send_satisfaction_survey()
        return res

    def _send_satisfaction_survey(self):
        """SPEC §5 回访: once the follow-up step is taken, send the company's
        satisfaction survey to the customer, once per follow-up. Not when the rep
        chose another follow-up method, nor when no survey is configured; a note
        in the chatter when the customer has no e-mail address.

        The survey answer and the mail are created as superuser: the user who
        took the step (access checked by the step) needs no rights on the survey
        app to send it."""
        template = self.env.ref(INVITE_TEMPLATE, raise_if_not_found=False)
        for rec in self:
            if rec.state != State.FOLLOW_UP.value or rec.follow_up_method not in (False, "survey"):
                continue
            survey = self.env["complaint.policy"]._satisfaction_survey(rec.company_id)
            if not survey or rec._current_survey_inputs():
                continue
            partner = rec.partner_id
            problem = False
            if not partner.email:
                problem = self.env._(
                    "The satisfaction survey could not be sent: %(customer)s has no e-mail "
                    "address. Record the follow-up by hand.",
                    customer=partner.display_name,
                )
            elif not survey.active:
                problem = self.env._(
                    "The satisfaction survey could not be sent: the survey “%(survey)s” of the "
                    "policy settings is archived. Record the follow-up by hand.",
                    survey=survey.title,
                )
            if problem:
                rec.message_post(body=problem, message_type="comment", subtype_xmlid="mail.mt_note")
                continue
            answer = survey.sudo()._create_answer(partner=partner, check_attempts=False)
            answer._set_complaint(rec)
            if template:
                template.sudo().send_mail(
                    answer.id, email_layout_xmlid="mail.mail_notification_light"
                )
            rec.follow_up_method = "survey"
            rec.message_post(
                body=self.env._(
                    "Satisfaction survey “%(survey)s” sent to %(customer)s (%(email)s).",
                    survey=survey.title,
                    customer=partner.display_name,
                    email=partner.email,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    # -- the completed survey's answers land here ---------------------------------------

    def _survey_answered(self, user_input):
        """The customer completed ``user_input`` (called as superuser by the
        survey's completion): the answers are kept per question; when the
        complaint is still at the follow-up the survey was sent for, its
        satisfaction is the core's overall figure and the policy decides what a
        dissatisfied answer sets off."""
        self.ensure_one()
        now = fields.Datetime.now()
        current = (
            self.state == State.FOLLOW_UP.value
            and user_input.complaint_follow_up_at == self.follow_up_at
        )
        self.env["complaint.survey.answer"].sudo().create(
            [
                {**vals, "complaint_id": self.id, "answered_at": now, "voided": not current}
                for vals in self._survey_answer_values(user_input)
            ]
        )
        partner = user_input.partner_id or self.partner_id
        if not current:
            self.message_post(
                body=self.env._(
                    "%(customer)s answered the satisfaction survey after the follow-up it was "
                    "sent for: the answers are kept but change nothing.",
                    customer=partner.display_name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            return
        policy = self._policy()
        values = self._satisfaction_values()
        with core_errors(self.env):
            overall = overall_satisfaction(values, policy)
        if overall is None:
            self.message_post(
                body=self.env._(
                    "%(customer)s completed the satisfaction survey without answering its "
                    "scale questions: record the satisfaction by hand.",
                    customer=partner.display_name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            return
        # the policy is applied below, once and in the customer's name: the main
        # module's write leaves this answer to us (a tuple no JSON-RPC client can send)
        self.with_context(complaint_satisfaction_applied_by_caller=(self.id,)).write(
            {"satisfaction": str(overall), "follow_up_method": "survey"}
        )
        labels = dict(self._fields["satisfaction"]._description_selection(self.env))
        rate = round(self.satisfaction_rate)
        self.message_post(
            body=self.env._(
                "%(customer)s answered the satisfaction survey: %(overall)s, satisfaction "
                "rate %(rate)s %%.",
                customer=partner.display_name,
                overall=labels.get(str(overall), overall),
                rate=rate,
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # a dissatisfied answer: reopened as the customer, or a manager decides
        self._after_satisfaction(partner)

    def _survey_answer_values(self, user_input):
        """One line per coded question answered: its scale value and the answer
        as the customer read it (in their language); the comments' text."""
        lang = user_input.partner_id.lang or self.partner_id.lang
        lines = user_input.with_context(lang=lang).user_input_line_ids.filtered(
            lambda line: not line.skipped and line.question_id.complaint_code
        )
        result = []
        for line in lines.sorted(lambda line: (line.question_id.sequence, line.id)):
            question = line.question_id
            if question.complaint_code in SCALE_CODES:
                scale = line.suggested_answer_id.complaint_scale_value
                if not scale:
                    continue
                value, text = int(scale), line.suggested_answer_id.value
            else:
                text = line.value_text_box or line.value_char_box or ""
                if not text.strip():
                    continue
                value = 0
            result.append(
                {
                    "user_input_id": user_input.id,
                    "sequence": question.sequence,
                    "question_code": question.complaint_code,
                    "question": question.title,
                    "value": value,
                    "answer": text,
                }
            )
        return result
