# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: B018
{
    "name": "Customer Complaints",
    "summary": "Register, classify, investigate, remedy and follow up customer complaints",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Complaints",
    "website": "https://example.com/customer-complaint",
    "author": "Customer Complaint project",
    "license": "LGPL-3",
    "depends": ["mail", "contacts", "product"],
    "external_dependencies": {"python": ["complaint_core"]},
    "data": [
        "security/customer_complaint_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/complaint_approval_data.xml",
        "views/customer_complaint_views.xml",
        "views/customer_complaint_config_views.xml",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/customer_complaint_menus.xml",
        "views/complaint_approval_views.xml",
    ],
    "demo": ["demo/customer_complaint_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "customer_complaint/static/tests/tours/sales_rep_tour.js",
            "customer_complaint/static/tests/tours/approval_tour.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
