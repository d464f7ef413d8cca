/** @odoo-module **/
/**
 * Issue #4 end to end, from the UI (SPEC §4 two-stage approval, remedy
 * execution). tests/test_e2e_tour.py sets up a delivered order and a
 * product-quality complaint whose exchange + 1,200 credit waits for approval,
 * then runs these tours in turn, doing the warehouse and accounting work in
 * Python between them:
 * 1. the department manager approves the investigation, then the remedy, and
 *    sees the complaint approved with its draft credit note;
 * 2. the handler creates the return and replacement pickings;
 * 3. once both pickings are done, the credit note paid and the customer
 *    replied to, the handler marks the remedy done.
 * Triggers use field and button names (and the statusbar's data-value), not
 * labels, so a translation does not break them.
 */

import { registry } from "@web/core/registry";

const FORM = ".o_form_view";
const current = (state) =>
    `${FORM} .o_statusbar_status button.o_arrow_button_current[data-value='${state}']`;
const APPROVE = `${FORM} .o_statusbar_buttons button[name=action_approve_stage]`;

registry.category("web_tour.tours").add("customer_complaint_e2e_approve_tour", {
    steps: () => [
        {
            content: "The remedy waits for approval",
            trigger: current("remedy_proposed"),
        },
        {
            content: "Open the approvals of the complaint",
            trigger: `${FORM} .o_notebook a.nav-link[name=approvals]`,
            run: "click",
        },
        {
            content: "The investigation stage comes first",
            trigger: `${FORM} div[name=approval_next_stage]:contains('Investigation')`,
        },
        {
            content: "Approve the investigation",
            trigger: APPROVE,
            run: "click",
        },
        {
            content: "The investigation approval is recorded",
            trigger: `${FORM} div[name=approval_ids] .o_data_row:contains('Investigation')`,
        },
        {
            content: "The remedy stage is next, still in remedy proposed",
            trigger: `${FORM}:has(${current("remedy_proposed")}) div[name=approval_next_stage]:contains('Remedy')`,
        },
        {
            content: "Approve the remedy",
            trigger: APPROVE,
            run: "click",
        },
        {
            content: "The complaint is approved",
            trigger: current("approved"),
        },
        {
            content: "Both stages are on record",
            trigger: `${FORM} div[name=approval_ids]:has(.o_data_row:contains('Investigation')) .o_data_row:contains('Remedy')`,
        },
        {
            content: "The approval drafted one credit note",
            trigger: `button[name=action_view_credit_notes] .o_stat_value:contains('1')`,
        },
    ],
});

registry.category("web_tour.tours").add("customer_complaint_e2e_pickings_tour", {
    steps: () => [
        {
            content: "The complaint is approved",
            trigger: current("approved"),
        },
        {
            content: "Create the return and the replacement delivery",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_create_remedy_pickings]`,
            run: "click",
        },
        {
            content: "The two pickings are listed",
            trigger: ".o_list_view .o_data_row:eq(1)",
        },
    ],
});

registry.category("web_tour.tours").add("customer_complaint_e2e_remedy_done_tour", {
    steps: () => [
        {
            content: "The customer has the reply",
            trigger: current("replied"),
        },
        {
            content: "The pickings are on the complaint",
            trigger: `button[name=action_view_pickings] .o_stat_value:contains('2')`,
        },
        {
            content: "Mark the remedy done",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_remedy_done]`,
            run: "click",
        },
        {
            content: "The remedy is done",
            trigger: current("remedy_done"),
        },
    ],
});
