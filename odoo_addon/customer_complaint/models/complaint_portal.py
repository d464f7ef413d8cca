"""The complaint on the customer portal (SPEC §8 customers, issue 9 item 3): which
complaints a customer follows there, what they see of one, whether they may answer
the remedy, and the registration of a complaint they submit there.

Portal users have no access right on ``customer.complaint`` at all (see
security/customer_complaint_portal_security.xml for why): the portal routes
decide with `_portal_domain()` / `_portal_search_domain()` which complaints are
the customer's, and then read a fixed set of customer-facing fields as superuser.
"""

from odoo import Command, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools.mimetypes import guess_mimetype

from complaint_core.model import Channel
from complaint_core.workflow import allowed_actions

from .core_errors import core_errors

MB = 1024 * 1024
# SPEC §1 evidence sent with a web complaint: photos (and a scanned document).
# The limits per file and per submission are system parameters (in bytes).
PARAM_MAX_FILE_SIZE = "customer_complaint.portal_max_file_size"
PARAM_MAX_TOTAL_SIZE = "customer_complaint.portal_max_total_size"
DEFAULT_MAX_FILE_SIZE = 5 * MB
DEFAULT_MAX_TOTAL_SIZE = 20 * MB
MAX_FILES = 10
PHOTO_MIMETYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "application/pdf"}
)
# How many saleable products the submit form offers when the customer has no orders
# to choose from (without the sale module).
MAX_PRODUCTS = 200


def _size_text(size):
    return f"{size / MB:.0f} MB" if size >= MB else f"{size // 1024} KB"


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    # -- what the customer sees ------------------------------------------------------

    @api.model
    def _portal_domain(self, partner=None):
        """The complaints of the commercial partner of ``partner`` (default: the current
        user's): the same domain as the portal record rule."""
        partner = partner or self.env.user.partner_id
        return [("partner_id", "child_of", partner.commercial_partner_id.ids)]

    @api.model
    def _portal_search_domain(self):
        """The current user's complaints on the portal: their commercial partner's,
        within the record rules that apply to the user (for a portal user: the portal
        rule, recusal and the company rules), evaluated for them although the portal
        reads as superuser."""
        if self.env.user._is_public():
            return expression.FALSE_DOMAIN
        rules = self.env["ir.rule"]._compute_domain(self._name, "read")
        return expression.AND([self._portal_domain(), rules or []])

    def _portal_stage(self):
        """(key, label) of the state in the customer's words (the core's
        customer_stage, in the current language)."""
        self.ensure_one()
        return self.customer_stage, self._customer_stage_text()

    def _portal_tz(self):
        """The time zone of dates shown on the portal: the visitor's own, else the
        customer's (or the business calendar's)."""
        self.ensure_one()
        user = self.env.user
        return (not user._is_public() and user.tz) or self._customer_tz()

    def _portal_can_answer(self):
        """The customer may answer the remedy now: the core allows the customer the
        accept step, and they have not answered yet."""
        self.ensure_one()
        if self.customer_accepted:
            return False
        policy = self._policy()
        with core_errors(self.env):
            allowed = allowed_actions(
                self._case_facts(policy), self._customer_actor(self.partner_id), policy
            )
        return "customer_accepts" in allowed

    # -- the submit form ----------------------------------------------------------------

    @api.model
    def _portal_categories(self):
        return self.env["complaint.category"].sudo().search([("active", "=", True)])

    @api.model
    def _portal_category_label(self, category):
        """A category as its path of names in the customer's language (the stored
        complete name has one language only)."""
        names = []
        while category:
            names.append(category.name)
            category = category.parent_id
        return " / ".join(reversed(names))

    @api.model
    def _portal_products(self, partner=None):
        """The products a customer may name: those of their commercial partner's
        confirmed sales orders when the sale module is installed, else the saleable
        products."""
        commercial = (partner or self.env.user.partner_id).commercial_partner_id
        if "sale.order.line" in self.env:
            lines = (
                self.env["sale.order.line"]
                .sudo()
                .search(
                    [
                        ("order_id.partner_id", "child_of", commercial.ids),
                        ("order_id.state", "=", "sale"),
                        ("product_id", "!=", False),
                    ]
                )
            )
            return lines.product_id.filtered("active").sorted("display_name")
        return (
            self.env["product.product"]
            .sudo()
            .search([("sale_ok", "=", True)], order="name", limit=MAX_PRODUCTS)
        )

    @api.model
    def _portal_file_limits(self):
        """(max files, max bytes per file, max bytes per submission)."""
        params = self.env["ir.config_parameter"].sudo()

        def size(key, default):
            try:
                return int(params.get_param(key, default)) or default
            except (TypeError, ValueError):
                return default

        return (
            MAX_FILES,
            size(PARAM_MAX_FILE_SIZE, DEFAULT_MAX_FILE_SIZE),
            size(PARAM_MAX_TOTAL_SIZE, DEFAULT_MAX_TOTAL_SIZE),
        )

    @api.model
    def _portal_check_files(self, files):
        """``files``: (file name, content) pairs. Refuse too many, too large or not a
        photo/PDF, naming the file and the limit; return [(name, content, mimetype)]."""
        max_files, max_file, max_total = self._portal_file_limits()
        files = [(name, content) for name, content in files if name or content]
        if len(files) > max_files:
            raise ValidationError(
                self.env._("You can send at most %(count)s files.", count=max_files)
            )
        checked, total = [], 0
        for name, content in files:
            if len(content) > max_file:
                raise ValidationError(
                    self.env._(
                        "The file %(name)s is too large: at most %(size)s per file.",
                        name=name,
                        size=_size_text(max_file),
                    )
                )
            mimetype = guess_mimetype(content)
            if mimetype not in PHOTO_MIMETYPES:
                raise ValidationError(
                    self.env._(
                        "The file %(name)s is not a photo (JPEG, PNG, GIF, WebP, BMP) or a PDF.",
                        name=name,
                    )
                )
            total += len(content)
            checked.append((name, content, mimetype))
        if total > max_total:
            raise ValidationError(
                self.env._(
                    "The files are too large together: at most %(size)s in total.",
                    size=_size_text(max_total),
                )
            )
        return checked

    @api.model
    def _portal_submit(self, values, files=()):
        """Register a complaint the current user submits on the portal (SPEC §1,
        channel web form/portal): for their commercial partner, with their own contact
        as the contact person; the photos become its evidence and the customer's first
        message. ``values``: category_id, product_id, lot_number, description (form
        strings or ids); ``files``: (file name, content) pairs.

        Everything is checked before anything is written, and the complaint is made
        by the normal create() (numbering, severity, milestones, the intake checks,
        the acknowledgement). Raises a translated ValidationError naming the problem.
        Returns the complaint as superuser: the caller shows it to its customer."""
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Please sign in to submit a complaint."))
        partner = user.partner_id
        commercial = partner.commercial_partner_id
        description = (values.get("description") or "").strip()
        if not description:
            raise ValidationError(self.env._("Please describe what happened."))
        category = self._portal_pick(values.get("category_id"), self._portal_categories())
        if not category and self._portal_categories():
            raise ValidationError(self.env._("Please choose what your complaint is about."))
        product = self._portal_pick(values.get("product_id"), self._portal_products(partner))
        if values.get("product_id") and not product:
            raise ValidationError(self.env._("Please choose one of the products offered."))
        photos = self._portal_check_files(files)

        defaults = commercial._complaint_defaults()
        vals = {
            "partner_id": commercial.id,
            "channel": Channel.WEB.value,
            "category_id": category.id or False,
            "product_id": product.id or False,
            "lot_number": (values.get("lot_number") or "").strip() or False,
            "description": description,
            "contact_name": partner.name if partner != commercial else False,
            "phone": partner.phone or partner.mobile or defaults["default_phone"] or False,
            "email": partner.email or defaults["default_email"] or False,
            "address": defaults["default_address"] or False,
        }
        # sudo: portal users have no access right on complaints; the values above are
        # the only ones a customer chooses, and create() applies every rule to them
        complaint = self.sudo().create(vals)
        if photos:
            # pending attachments of this user, as the chatter's upload makes them:
            # message_post links them to the complaint (it refuses a portal author
            # any other attachment), then they become its evidence
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": "mail.compose.message",
                            "res_id": 0,
                        }
                        for name, content, mimetype in photos
                    ]
                )
            )
            # the photos as the customer's own message: the customer sees them in the
            # portal chatter, the team in the chatter of the case
            complaint.message_post(
                body=self.env._("Photos sent with the complaint."),
                attachment_ids=attachments.ids,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            complaint.write({"evidence_ids": [Command.link(a.id) for a in attachments]})
        return complaint

    @api.model
    def _portal_pick(self, value, allowed):
        """The record of ``allowed`` whose id is ``value`` (a form string), or none."""
        try:
            record_id = int(value or 0)
        except (TypeError, ValueError):
            return allowed.browse()
        return allowed.filtered(lambda r: r.id == record_id)
