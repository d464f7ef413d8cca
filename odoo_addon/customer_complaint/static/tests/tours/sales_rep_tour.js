/** @odoo-module **/
/**
 * Issue #3 / SPEC §8: a sales rep logs a complaint from their customer's
 * record. The Python side (tests/test_tour_sales_rep.py) opens the customer's
 * form, then checks the saved complaint in the database.
 *
 * The registration form is filled with the category "Tour: wrong colour" (a
 * test sub-category of Product quality) and the channel "Sales rep visit";
 * after saving, the number must have the default YYMMDD + sequence format and
 * the Milestones tab must show the first-contact milestone with a due time.
 */

import { registry } from "@web/core/registry";

const NUMBER = /^\d{6}\d{3,}$/;

registry.category("web_tour.tours").add("customer_complaint_sales_rep_tour", {
    steps: () => [
        {
            content: "The customer's form shows the Log Complaint button",
            trigger: ".o_form_view button[name=action_log_complaint]",
            run: "click",
        },
        {
            content: "The registration form is prefilled with the customer",
            trigger:
                ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Pumps Hangzhou)",
        },
        {
            content: "Choose the category",
            trigger: ".o_form_view .o_field_widget[name=category_id] input",
            run: "edit Tour: wrong",
        },
        {
            content: "Pick it in the autocomplete list",
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour: wrong colour')",
            run: "click",
        },
        {
            content: "The channel: logged during a sales visit",
            trigger: ".o_form_view .o_field_widget[name=channel] select",
            run: 'select "sales_visit"',
        },
        {
            content: "Describe the event",
            trigger: ".o_form_view .o_field_widget[name=description] textarea",
            run: "edit Pump housing delivered in the wrong colour on site visit",
        },
        {
            content: "The customer confirmed the record read back to them",
            trigger: ".o_form_view .o_field_widget[name=confirmed_by_customer] input",
            run: "click",
        },
        {
            content: "Save the registration",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the form is clean again",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The number is YYMMDD + sequence",
            trigger: ".o_form_view .o_field_widget[name=name] span:not(:contains('/'))",
            run() {
                const number = this.anchor.textContent.trim();
                if (!NUMBER.test(number)) {
                    throw new Error(`Complaint number "${number}" is not YYMMDD + sequence`);
                }
            },
        },
        {
            content: "Open the milestones",
            trigger: ".o_form_view .o_notebook a[name=milestones]",
            run: "click",
        },
        {
            content: "The first-contact milestone has a due time",
            trigger:
                ".o_field_widget[name=milestone_ids] .o_data_row:contains('First contact') " +
                "td[name=due_at]:not(:empty)",
            run() {
                if (!/\d/.test(this.anchor.textContent)) {
                    throw new Error("The first-contact milestone shows no due time");
                }
            },
        },
    ],
});
