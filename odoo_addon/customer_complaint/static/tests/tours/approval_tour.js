/** @odoo-module **/
/**
 * Issue #4 / SPEC §4: a manager approves a compensation from their activities.
 * The Python side (tests/test_approval_tour.py) proposes the remedy, so the
 * manager has one "Complaint Approval" activity; the tour opens it from the
 * systray activity menu, approves from the activity's Approve / Reject (the
 * approval wizard, no Mark Done) and sees the complaint approved.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_complaint_approval_tour", {
    steps: () => [
        {
            content: "Open my activities in the systray",
            trigger: ".o_menu_systray i[aria-label='Activities']",
            run: "click",
        },
        {
            content: "The complaints waiting for me",
            trigger: ".o-mail-ActivityGroup:contains('Customer Complaint')",
            run: "click",
        },
        {
            content: "Open the complaint whose remedy waits for my approval",
            trigger: ".o_data_row .o_data_cell:contains('Tour Approvals Co')",
            run: "click",
        },
        {
            content: "The approval activity is on the complaint",
            trigger: ".o-mail-Activity:contains('Approve the remedy of')",
        },
        {
            content: "The remedy is proposed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Remedy proposed')",
        },
        {
            content: "The approval activity is a decision: no Mark Done, Edit or Cancel",
            trigger:
                ".o-mail-Activity:contains('Approve the remedy of'):not(:has(.o-mail-Activity-markDone)):not(:has(.o-mail-Activity-edit))",
        },
        {
            content: "Decide from the activity",
            trigger: ".o-mail-Activity:contains('Approve the remedy of') button.o_complaint_decide",
            run: "click",
        },
        {
            content: "The dialog is the approval decision, not 'Schedule Activity'",
            trigger: ".modal .modal-title:contains('Approve or Reject the Remedy')",
        },
        {
            content: "Approve is chosen; confirm",
            trigger: ".modal .o_field_widget[name=decision] input[data-value=approve]:checked",
        },
        {
            content: "Confirm the approval",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The complaint is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
        {
            content: "The activity is closed",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity:contains('Approve the remedy of')))",
        },
    ],
});
