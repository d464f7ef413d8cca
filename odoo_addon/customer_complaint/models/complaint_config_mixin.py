from odoo import api, models


class ComplaintConfigMixin(models.AbstractModel):
    """Configuration records the core's Policy is built from: any change drops
    the per-transaction policy cache (see complaint.policy `_complaint_policy`)."""

    _name = "complaint.config.mixin"
    _description = "Complaint policy source (drops the policy cache on change)"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["complaint.policy"]._invalidate_policy_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env["complaint.policy"]._invalidate_policy_cache()
        return super().write(vals)

    def unlink(self):
        self.env["complaint.policy"]._invalidate_policy_cache()
        return super().unlink()
