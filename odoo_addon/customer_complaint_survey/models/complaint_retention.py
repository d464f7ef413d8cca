"""The survey's part of anonymising a complaint (SPEC §6, customer_complaint's
`_anonymise`): who answered and what they wrote in their own words go, and so
do the answer's link (a new access token: the old invitation opens nothing)
and its invitation mails not sent yet or kept after sending; the scale answers
stay, they are the satisfaction statistics (SPEC §5, §7)."""

import uuid

from odoo import models

TEXT_ANSWERS = ("text_box", "char_box")


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    def _anonymise(self, reason, now, archive=False):
        complaints = self.sudo().with_context(active_test=False)
        # the copies on the complaint: the written comments (value 0), not the scale
        complaints.survey_answer_ids.filtered(lambda a: not a.value).write({"answer": False})
        inputs = complaints.survey_user_input_ids
        inputs.user_input_line_ids.filtered(lambda line: line.answer_type in TEXT_ANSWERS).unlink()
        self.env["mail.mail"].sudo().search(
            [("model", "=", inputs._name), ("res_id", "in", inputs.ids)]
        ).unlink()
        inputs.message_unsubscribe(partner_ids=inputs.partner_id.ids)
        for user_input in inputs:
            user_input.write(
                {
                    "partner_id": False,
                    "email": False,
                    "nickname": False,
                    # the customer's old answer link opens nothing any more
                    "access_token": str(uuid.uuid4()),
                }
            )
        return super()._anonymise(reason, now, archive)
