# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: B018
{
    "name": "Customer Complaints - Dashboard",
    "summary": "A Complaints spreadsheet dashboard: on-time rate, open and breached cases, "
    "remedy cost, satisfaction",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Complaints",
    "website": "https://example.com/customer-complaint",
    "author": "Customer Complaint project",
    "maintainers": ["maintainers"],
    "license": "LGPL-3",
    "depends": ["customer_complaint", "spreadsheet_dashboard"],
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_complaint_dashboard/static/tests/tours/dashboard_tour.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
