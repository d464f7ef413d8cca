# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: B018
{
    "name": "Customer Complaints - Returns and Exchanges",
    "summary": "Carry out return and exchange remedies with Odoo's return pickings",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Complaints",
    "website": "https://example.com/customer-complaint",
    "author": "Customer Complaint project",
    "maintainers": ["maintainers"],
    "license": "LGPL-3",
    "depends": ["customer_complaint", "customer_complaint_sale", "sale_stock"],
    "external_dependencies": {"python": ["complaint_core"]},
    "data": [
        "views/customer_complaint_views.xml",
        "views/stock_picking_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
