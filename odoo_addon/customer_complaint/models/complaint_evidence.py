"""Evidence files uploaded before the complaint exists (issue 11 item 1).

The form's ``many2many_binary`` widget uploads a file for an unsaved complaint
as ``res_model='customer.complaint', res_id=0``. Odoo lets only its creator
read such a file, so the handler and the department manager could not open the
case. Like the mail composer (``mail.thread._process_attachments_for_post``)
the server links the pending files to the record at create and write, but only
the current user's own ones: an attachment another user uploaded, or one the
user may not read, is refused instead of being moved onto the complaint.
"""

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command


def _command_ids(commands):
    """The attachment ids a x2many value of ``evidence_ids`` adds."""
    ids = []
    for command in commands or ():
        if isinstance(command, int):
            ids.append(command)
        elif command[0] == Command.LINK:
            ids.append(command[1])
        elif command[0] == Command.SET:
            ids.extend(command[2] or ())
    return ids


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    @api.model_create_multi
    def create(self, vals_list):
        pending = [
            self._evidence_pending(_command_ids(vals.get("evidence_ids"))) for vals in vals_list
        ]
        records = super().create(vals_list)
        for record, vals, files in zip(records, vals_list, pending, strict=True):
            if "evidence_ids" in vals:
                record._link_evidence(files)
        return records

    def write(self, vals):
        if "evidence_ids" not in vals:
            return super().write(vals)
        # files already on the case were checked when they were added
        present = set(self.sudo().evidence_ids.ids)
        new_ids = [i for i in _command_ids(vals["evidence_ids"]) if i not in present]
        files = self._evidence_pending(new_ids)
        res = super().write(vals)
        if files or self.sudo().evidence_ids.filtered(self._is_pending_mine):
            if len(self) > 1:
                raise UserError(self.env._("Attach new files to one complaint at a time."))
            self._link_evidence(files)
        return res

    def _is_pending_mine(self, attachment):
        return self._is_pending(attachment) and attachment.create_uid.id == self.env.uid

    def _is_pending(self, attachment):
        """Uploaded for no record yet, or for an unsaved complaint."""
        return (
            not attachment.res_id
            and not attachment.res_field
            and attachment.res_model in (False, self._name)
        )

    def _evidence_pending(self, attachment_ids):
        """Check the files a caller adds as evidence; return the pending ones
        (as sudo records) to link after the complaint is written.

        A pending file must be the user's to write (its creator, or an
        administrator); any other file must be readable by the user. Both are
        checked by ``ir.attachment.check``, Odoo's own attachment rule."""
        Attachment = self.env["ir.attachment"]
        if not attachment_ids:
            return Attachment.sudo()
        files = Attachment.sudo().browse(attachment_ids)
        missing = files - files.exists()
        if missing:
            raise UserError(
                self.env._(
                    "File %(id)s cannot be attached as evidence: it does not exist.",
                    id=missing[:1].id,
                )
            )
        pending = files.filtered(self._is_pending)
        for attachment in files:
            mode = "write" if attachment in pending else "read"
            try:
                attachment.with_env(self.env).check(mode)
            except AccessError:
                raise UserError(
                    self.env._(
                        "File %(id)s cannot be attached as evidence: another user "
                        "uploaded it, or you may not read it. Upload the file again "
                        "on this complaint.",
                        id=attachment.id,
                    )
                ) from None
        return pending

    def _link_evidence(self, files):
        """Move the pending files (checked above) and the user's own pending
        evidence (created with the complaint) onto the complaint, so whoever
        may read the complaint may read them."""
        self.ensure_one()
        files |= self.sudo().evidence_ids.filtered(self._is_pending_mine)
        if files:
            files.write({"res_model": self._name, "res_id": self.id})

    def web_read(self, specification):
        """An evidence file the reader may not see (linked to a record they may
        not read, or left pending by another user before this link existed) is
        left out rather than making the whole complaint unreadable: an ``order``
        in the x2many specification makes Odoo's ``web_read`` search the
        attachments, and ``ir.attachment._search`` drops the unreadable ones."""
        spec = specification.get("evidence_ids")
        if spec and not spec.get("order"):
            specification = dict(
                specification,
                evidence_ids=dict(spec, order=self.env["ir.attachment"]._order),
            )
        return super().web_read(specification)
