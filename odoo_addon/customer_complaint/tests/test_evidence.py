import base64

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase

PHOTO = base64.b64encode(b"\x89PNG photo of the leaking seal")
# what the form's many2many_binary widget reads of each evidence file
FORM_SPEC = {
    "name": {},
    "state": {},
    "evidence_ids": {"fields": {"name": {}, "mimetype": {}}},
}


@tagged("post_install", "-at_install", "customer_complaint")
class TestEvidence(ComplaintCase):
    """Issue 11 item 1: a photo attached before the first save ends up on the
    complaint; nobody links another user's file; an unreadable file never hides
    the case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep2 = new_test_user(
            cls.env, "cc_rep2", name="Rep 2", groups="customer_complaint.group_complaint_sales_rep"
        )

    def _upload(self, user, **vals):
        """A file as the widget uploads it on an unsaved complaint
        (/web/binary/upload_attachment with id 0)."""
        values = {
            "name": "seal.png",
            "datas": PHOTO,
            "res_model": "customer.complaint",
            "res_id": 0,
        }
        values.update(vals)
        return self.env["ir.attachment"].with_user(user).create(values)

    def test_photo_before_first_save_is_linked_and_readable(self):
        photo = self._upload(self.rep)
        c = self.make(evidence_ids=[Command.set([photo.id])])
        self.assertEqual(c.evidence_ids, photo)
        self.assertEqual((photo.res_model, photo.res_id), ("customer.complaint", c.id))
        for user in (self.handler, self.manager):
            mine = c.with_user(user)
            (values,) = mine.web_read(FORM_SPEC)
            self.assertEqual(
                values["evidence_ids"],
                [{"id": photo.id, "name": "seal.png", "mimetype": "image/png"}],
            )
            self.assertEqual(mine.read(["evidence_ids"])[0]["evidence_ids"], [photo.id])
            self.assertEqual(mine.evidence_ids.datas, PHOTO)

    def test_photo_added_on_write_and_created_inline(self):
        c = self.make()
        photo = self._upload(self.rep, res_model=False)
        c.with_user(self.rep).write(
            {
                "evidence_ids": [
                    Command.link(photo.id),
                    Command.create({"name": "note.txt", "raw": b"seen on site"}),
                ]
            }
        )
        self.assertEqual(len(c.evidence_ids), 2)
        self.assertEqual(set(c.evidence_ids.mapped("res_model")), {"customer.complaint"})
        self.assertEqual(set(c.evidence_ids.mapped("res_id")), {c.id})
        self.assertEqual(
            sorted(c.with_user(self.handler).evidence_ids.mapped("name")), ["note.txt", "seal.png"]
        )

    def test_another_users_file_is_refused(self):
        """An attacker passes the id of someone else's pending upload, or of a
        file on a case they may not read, over the ORM: refused, nothing moves."""
        pending = self._upload(self.rep)
        theirs = self.make(evidence_ids=[Command.link(self._upload(self.rep, name="b.png").id)])
        linked = theirs.evidence_ids
        own = self.make(user=self.rep2)
        for attachment in (pending, linked):
            with self.assertRaisesRegex(UserError, "another user uploaded it"):
                self.make(user=self.rep2, evidence_ids=[Command.link(attachment.id)])
            with self.assertRaisesRegex(UserError, "another user uploaded it"):
                own.with_user(self.rep2).write({"evidence_ids": [Command.set([attachment.id])]})
        self.assertFalse(own.evidence_ids)
        self.assertEqual((pending.res_model, pending.res_id), ("customer.complaint", 0))
        self.assertEqual(linked.res_id, theirs.id)
        with self.assertRaisesRegex(UserError, "does not exist"):
            own.with_user(self.rep2).write({"evidence_ids": [Command.link(self._no_such_file())]})

    def _no_such_file(self):
        gone = self._upload(self.rep2, name="gone.png")
        gone.unlink()
        return gone.id

    def test_unreadable_file_does_not_hide_the_case(self):
        """A file left pending by its uploader (as before this fix) is skipped for
        the others, the case still opens; its uploader still sees it."""
        c = self.make()
        photo = self._upload(self.rep)
        # the relation as older versions left it: the file never linked
        self.env.cr.execute(
            "INSERT INTO customer_complaint_evidence_rel (complaint_id, attachment_id) "
            "VALUES (%s, %s)",
            [c.id, photo.id],
        )
        self.env.invalidate_all()
        (values,) = c.with_user(self.handler).web_read(FORM_SPEC)
        self.assertEqual(values["evidence_ids"], [])
        self.assertEqual(values["name"], c.name)
        (values,) = c.with_user(self.rep).web_read(FORM_SPEC)
        self.assertEqual([v["id"] for v in values["evidence_ids"]], [photo.id])
        # the handler may still work on the case's evidence without touching it
        extra = self._upload(self.handler, name="site.png")
        c.with_user(self.handler).write({"evidence_ids": [Command.link(extra.id)]})
        self.assertEqual(extra.res_id, c.id)
        self.assertEqual(photo.res_id, 0)
        # its uploader's next save links it
        c.with_user(self.rep).write({"evidence_ids": [Command.link(extra.id)]})
        self.assertEqual(photo.res_id, c.id)
