/** @odoo-module **/
/**
 * SPEC §4 / issue 11: an approval activity is a decision, not a to-do. In the
 * chatter it offers "Approve / Reject" (the approval wizard) instead of Mark
 * Done, Edit and Cancel, which the server refuses for it anyway.
 */

import { Activity } from "@mail/core/web/activity";
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
