# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: B018
{
    "name": "Customer Complaints - Sales",
    "summary": "Link complaints to sales orders and their lines; log a complaint from an order",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Complaints",
    "website": "https://example.com/customer-complaint",
    "author": "Customer Complaint project",
    "maintainers": ["maintainers"],
    "license": "LGPL-3",
    "depends": ["customer_complaint", "sale"],
    "data": [
        "views/customer_complaint_views.xml",
        "views/sale_order_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
