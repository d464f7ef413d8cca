# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: B018
{
    "name": "Customer Complaints - Credit Notes",
    "summary": "Draft customer credit notes for approved discount and compensation remedies",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Complaints",
    "website": "https://example.com/customer-complaint",
    "author": "Customer Complaint project",
    "maintainers": ["maintainers"],
    "license": "LGPL-3",
    "depends": ["customer_complaint", "account"],
    "external_dependencies": {"python": ["complaint_core"]},
    "data": [
        "views/customer_complaint_views.xml",
        "views/account_move_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_complaint_account/static/tests/tours/complaint_e2e_tour.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
