/** @odoo-module **/
/**
 * Issue 10 §2: a complaint manager opens the Complaints spreadsheet dashboard from
 * the Dashboards app (tests/test_dashboard_tour.py opens /odoo/dashboards on it).
 *
 * Once every pivot, list and chart has its data, no cell of the dashboard may hold
 * an error (a measure, field or domain the server refuses shows as one), and the
 * scorecards must agree with what the same user counts through the ORM: open
 * complaints and those breached now (their figures go through the same record rules).
 */

import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

const OPEN = [
    ["kind", "=", "complaint"],
    ["state", "not in", ["closed", "not_valid", "withdrawn"]],
];

/** The dashboard action component, found in the web client's component tree. */
function dashboardAction() {
    const stack = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (stack.length) {
        const node = stack.pop();
        const component = node.component;
        if (component && component.loader && component.state && "activeDashboard" in component.state) {
            return component;
        }
        stack.push(...Object.values(node.children));
    }
    throw new Error("The dashboard action is not on the page");
}

/** The spreadsheet model once none of its cells waits for Odoo data any more. */
async function loadedModel() {
    const { waitForDataLoaded } = odoo.loader.modules.get("@spreadsheet/helpers/model");
    const model = dashboardAction().state.activeDashboard.model;
    await waitForDataLoaded(model);
    return model;
}

function cellValue(model, sheetName, col, row) {
    const sheetId = model.getters.getSheetIdByName(sheetName);
    return model.getters.getEvaluatedCell({ sheetId, col, row }).value;
}

async function searchCount(domain) {
    return rpc("/web/dataset/call_kw/customer.complaint/search_count", {
        model: "customer.complaint",
        method: "search_count",
        args: [domain],
        kwargs: {},
    });
}

registry.category("web_tour.tours").add("customer_complaint_dashboard_tour", {
    steps: () => [
        {
            content: "The Complaints dashboard is the active one, in the Complaints group",
            trigger:
                ".o_spreadsheet_dashboard_search_panel section:contains('Complaints') " +
                ".o_search_panel_category_value.active:contains('Complaints')",
        },
        {
            content: "The dashboard is drawn: its scorecards and charts are on the sheet",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
        },
        {
            content: "No cell holds an error once the data is loaded",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
            async run() {
                const model = await loadedModel();
                const errors = [];
                for (const sheetId of model.getters.getSheetIds()) {
                    for (const position of model.getters.getEvaluatedCellsPositions(sheetId)) {
                        const cell = model.getters.getEvaluatedCell(position);
                        if (cell.type === "error") {
                            const name = model.getters.getSheetName(sheetId);
                            errors.push(
                                `${name}!${position.col},${position.row}: ${cell.value} ${cell.message || ""}`
                            );
                        }
                    }
                }
                if (errors.length) {
                    throw new Error(`Dashboard cells in error:\n${errors.join("\n")}`);
                }
                const figures = model.getters.getFigures(model.getters.getSheetIds()[0]);
                if (figures.length !== 7) {
                    throw new Error(`Expected 7 scorecards and charts, found ${figures.length}`);
                }
            },
        },
        {
            content: "Open complaints and breached now are what the user counts through the ORM",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
            async run() {
                const model = await loadedModel();
                const open = await searchCount(OPEN);
                const breached = await searchCount([...OPEN, ["sla_overdue", "=", true]]);
                const shown = [cellValue(model, "Data", 2, 2), cellValue(model, "Data", 2, 3)];
                if (shown[0] !== open || shown[1] !== breached) {
                    throw new Error(
                        `Dashboard shows ${shown[0]} open / ${shown[1]} breached, ` +
                            `the ORM counts ${open} / ${breached}`
                    );
                }
                if (!open) {
                    throw new Error("The tour's manager should see open complaints");
                }
            },
        },
    ],
});
