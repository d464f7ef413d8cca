"""survey.question.answer: the satisfaction-scale value of a suggested answer
(SPEC §5: 5 = very satisfied ... 1 = very dissatisfied), kept as data so that
an answer is mapped by its value, never by comparing (translated) labels."""

from odoo import fields, models

from odoo.addons.customer_complaint.models.complaint import SATISFACTION


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    complaint_scale_value = fields.Selection(
        SATISFACTION,
        string="Satisfaction Scale Value",
        help="The complaint's satisfaction value this answer stands for (5 = very "
        "satisfied ... 1 = very dissatisfied).",
    )
