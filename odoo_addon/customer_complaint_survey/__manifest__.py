# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: B018
{
    "name": "Customer Complaints - Satisfaction Survey",
    "summary": "The follow-up sends a satisfaction survey; its answers land on the complaint",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Complaints",
    "website": "https://example.com/customer-complaint",
    "author": "Customer Complaint project",
    "maintainers": ["maintainers"],
    "license": "LGPL-3",
    "depends": ["customer_complaint", "survey"],
    "external_dependencies": {"python": ["complaint_core"]},
    "data": [
        "security/ir.model.access.csv",
        "security/customer_complaint_survey_security.xml",
        "data/survey_data.xml",
        "data/mail_template_data.xml",
        "views/customer_complaint_views.xml",
        "views/complaint_policy_views.xml",
        "views/survey_question_views.xml",
        "views/survey_user_input_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
