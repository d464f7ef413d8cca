"""The chatter of a complaint is part of its audit trail (SPEC §6): nobody but
an administrator edits or deletes a message on it, whatever the client sends."""

from odoo import models
from odoo.exceptions import AccessError

# what a message says and who and what it is about; flags such as starred or
# needaction are the reader's own and stay writable
CONTENT_FIELDS = frozenset(
    {
        "body",
        "subject",
        "attachment_ids",
        "partner_ids",
        "author_id",
        "email_from",
        "model",
        "res_id",
        "message_type",
        "subtype_id",
        "date",
        "tracking_value_ids",
        "parent_id",
    }
)


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _check_complaint_trail(self):
        if self.env.su or self.env.user._is_admin():
            return
        if any(m.model == "customer.complaint" for m in self.sudo()):
            raise AccessError(
                self.env._(
                    "Messages on a complaint are part of its audit trail: they cannot be changed "
                    "or deleted."
                )
            )

    def write(self, vals):
        if CONTENT_FIELDS & set(vals):
            self._check_complaint_trail()
        return super().write(vals)

    def unlink(self):
        self._check_complaint_trail()
        return super().unlink()
