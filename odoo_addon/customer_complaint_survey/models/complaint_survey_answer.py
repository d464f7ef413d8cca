"""complaint.survey.answer: the customer's answers to the satisfaction survey,
per question, on the complaint (SPEC §5). A copy taken when the survey is
completed, so the complaint keeps what was answered even when the survey is
edited later, and complaint users see it without rights on the survey app.
Written by the survey's completion only (no group may create or change one);
voided when the core says the customer's answers no longer hold (a reopen)."""

from odoo import fields, models

from .survey_question import QUESTION_CODES


class ComplaintSurveyAnswer(models.Model):
    _name = "complaint.survey.answer"
    _description = "Complaint Satisfaction Answer"
    _order = "answered_at desc, sequence, id"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="survey.group_survey_user",
    )
    sequence = fields.Integer(readonly=True)
    question_code = fields.Selection(QUESTION_CODES, readonly=True)
    question = fields.Char(readonly=True, help="The question as the customer read it.")
    value = fields.Integer(
        string="Scale Value",
        readonly=True,
        help="The satisfaction-scale value of the answer (5 = very satisfied ... 1 = very "
        "dissatisfied); 0 for a written comment.",
    )
    answer = fields.Text(readonly=True, help="The chosen answer or the written comment.")
    answered_at = fields.Datetime(string="Answered On", readonly=True)
    voided = fields.Boolean(
        readonly=True,
        help="No longer holds: the case was reopened or taken back after this answer, or "
        "it was given after the follow-up it was sent for.",
    )
