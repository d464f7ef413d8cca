/** @odoo-module **/
/**
 * Issue 9 / SPEC §8: a customer on the portal. The Python side
 * (tests/test_portal.py) makes a portal user of a customer whose complaint was
 * replied to, starts the tour on /my and checks the database afterwards.
 *
 * The customer opens Complaints, submits a complaint about "Tour Hinge" with a
 * photo, finds it in the list with the date we promised to answer by, opens the
 * replied complaint, reads our answer in the chatter (never the internal note)
 * and accepts the remedy.
 */

import { registry } from "@web/core/registry";

// a 1x1 transparent PNG
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async function attachPhoto(input) {
    const blob = await (await fetch(`data:image/png;base64,${PNG}`)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "hinge.png", { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("customer_complaint_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home shows the Complaints entry",
            trigger: ".o_portal_index_card a[href='/my/complaints']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list offers to submit a complaint",
            trigger: "a.o_complaint_portal_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose what it is about",
            trigger: "select[name=category_id]",
            run: "selectByLabel Tour broken hinge",
        },
        {
            content: "Choose the product among those offered",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Hinge",
        },
        {
            content: "Give the lot number",
            trigger: "input[name=lot_number]",
            run: "edit LOT-2026-42",
        },
        {
            content: "Describe what happened",
            trigger: "textarea[name=description]",
            run: "edit The hinge of the cabinet door broke after one week",
        },
        {
            content: "Attach a photo",
            trigger: "input[type=file][name=photos]",
            async run() {
                await attachPhoto(this.anchor);
            },
        },
        {
            content: "Submit",
            trigger: "button.o_complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint is registered: its page thanks the customer",
            trigger: ".o_complaint_message:contains('we registered your complaint')",
        },
        {
            content: "The photo is in the chatter, as the customer's message",
            trigger: "#chatterRoot:shadow .o-mail-AttachmentImage, #chatterRoot:shadow .o-mail-AttachmentCard",
        },
        {
            content: "Back to the list through the breadcrumb",
            trigger: ".breadcrumb a[href='/my/complaints']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new complaint is listed with the date we promised to answer by",
            trigger: "tr.o_complaint_portal_row:contains('Tour Hinge') td.o_complaint_promised_at span",
            run() {
                if (!/\d/.test(this.anchor.textContent)) {
                    throw new Error("The new complaint shows no promised date");
                }
            },
        },
        {
            content: "Open the complaint we answered",
            trigger: "tr.o_complaint_portal_row:has(.o_complaint_stage[data-stage=answered]) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Our written answer is in the chatter",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('We will replace the seal free of charge')",
            run() {
                const root = document.querySelector("#chatterRoot").shadowRoot;
                if (root.textContent.includes("INTERNAL-NOTE")) {
                    throw new Error("An internal note is shown to the customer");
                }
                if (document.body.textContent.includes("INTERNAL-NOTE")) {
                    throw new Error("An internal note is on the customer's page");
                }
            },
        },
        {
            content: "Accept the remedy",
            trigger: "button.o_complaint_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is recorded",
            trigger: ".o_complaint_message:contains('you accepted the proposed remedy')",
        },
        {
            content: "The buttons are gone and the answer is shown",
            trigger: ".o_complaint_customer_answer",
            run() {
                if (document.querySelector(".o_complaint_accept")) {
                    throw new Error("The customer is asked again for an answer already given");
                }
            },
        },
    ],
});
