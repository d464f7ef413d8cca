# ruff: noqa: F401
from . import (
    complaint_policy,
    complaint_retention,
    complaint_survey_answer,
    customer_complaint,
    survey_question,
    survey_question_answer,
    survey_user_input,
)
