/** @odoo-module **/
/**
 * SPEC §4 / issue 11: an approval activity is a decision, not a to-do. In the
 * chatter it offers "Approve / Reject" (the approval wizard) instead of Mark
 * Done, Edit and Cancel, which the server refuses for it anyway; the activity
 * popover of list and kanban views hides the same three buttons.
 */

import { Activity } from "@mail/core/web/activity";
import { ActivityListPopoverItem } from "@mail/core/web/activity_list_popover_item";
import { patch } from "@web/core/utils/patch";

patch(Activity.prototype, {
    async onClickComplaintDecide() {
        const thread = this.thread;
        const action = await this.env.services.orm.call(
            "mail.activity",
            "action_complaint_decide",
            [[this.props.activity.id]]
        );
        if (!action) {
            return;
        }
        await this.env.services.action.doAction(action, {
            onClose: async () => {
                this.props.onActivityChanged(thread);
                await this.props.reloadParentView?.();
            },
        });
    },
});

patch(ActivityListPopoverItem.prototype, {
    get hasMarkDoneButton() {
        return !this.props.activity.complaint_approval && super.hasMarkDoneButton;
    },
    get hasEditButton() {
        return !this.props.activity.complaint_approval && super.hasEditButton;
    },
    get hasCancelButton() {
        return !this.props.activity.complaint_approval && super.hasCancelButton;
    },
});
