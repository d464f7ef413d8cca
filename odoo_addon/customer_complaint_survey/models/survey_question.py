"""survey.question: what a question of a satisfaction survey measures on a
complaint (SPEC §5 "per question where a questionnaire is used"). The code, not
the question's wording, says where an answer goes: wording is translated and
may be edited, the code stays."""

from odoo import fields, models

# the questions of the procedures' satisfaction form (客户满意度回访)
SCALE_CODES = ("timeliness", "attitude", "result", "overall")
QUESTION_CODES = [
    ("timeliness", "Timeliness of the handling"),
    ("attitude", "Service attitude"),
    ("result", "Result of the handling"),
    ("overall", "Overall satisfaction"),
    ("comments", "Comments and suggestions"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    complaint_code = fields.Selection(
        QUESTION_CODES,
        string="Complaint Follow-up Question",
        copy=True,
        help="What this question measures at a complaint's follow-up: the scale value of "
        "the chosen answer lands on the complaint under this code (the overall "
        "satisfaction comes from the Overall question, else from the lowest answer). "
        "Comments and suggestions: the text is kept with the answers.",
    )

    _sql_constraints = [
        (
            "complaint_code_survey_uniq",
            "unique(survey_id, complaint_code)",
            "A complaint follow-up question code is used once per survey.",
        )
    ]
