"""The customer portal of complaints (SPEC §8 customers, issue 9 item 3):
/my/complaints (list), /my/complaints/<id> (detail, chatter, accept or reject the
remedy) and /my/complaints/new (submit a complaint).

Portal users have no access right on customer.complaint (why: the comment in
security/customer_complaint_portal_security.xml). Every route first decides
whether the complaint is the visitor's — the access token of a signed link, or
the customer's own complaints as `customer.complaint._portal_search_domain()`
says (the portal record rule, evaluated for the user) — and only then reads,
as superuser, the customer-facing fields the templates show. The portal chatter
gets the access token, so it reads only what Odoo shows a customer (comments,
never internal notes) and posts as the customer.
"""

from collections import OrderedDict

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.portal.utils import get_portal_partner

from complaint_core.model import FINAL_STATES, State

FINAL = [s.value for s in FINAL_STATES]
HISTORY = "my_complaints_history"


class ComplaintPortal(CustomerPortal):
    # -- the home page ----------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["customer.complaint"]
            # sudo: portal users have no access right; the domain is the customer's own
            values["complaint_count"] = Complaint.sudo().search_count(
                Complaint._portal_search_domain()
            )
        return values

    # -- the list -----------------------------------------------------------------------

    def _complaint_searchbar_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "received_at desc, id desc"},
            "name": {"label": _("Number"), "order": "name desc, id desc"},
        }

    def _complaint_searchbar_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("state", "not in", FINAL)]},
            "answer": {
                "label": _("Awaiting your answer"),
                "domain": [("state", "=", State.REPLIED.value), ("customer_accepted", "=", False)],
            },
            "closed": {"label": _("Closed"), "domain": [("state", "in", FINAL)]},
        }

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Complaint = request.env["customer.complaint"]
        sortings = self._complaint_searchbar_sortings()
        sortby = sortby if sortby in sortings else "date"
        filters = self._complaint_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        domain = expression.AND([Complaint._portal_search_domain(), filters[filterby]["domain"]])
        # sudo: portal users have no access right; the domain is the customer's own
        ComplaintSudo = Complaint.sudo()
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=ComplaintSudo.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = ComplaintSudo.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints,
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": OrderedDict(filters),
                "filterby": filterby,
                "can_submit": request.env.user.share,
            }
        )
        return request.render("customer_complaint.portal_my_complaints", values)

    # -- one complaint --------------------------------------------------------------------

    def _complaint_check_access(self, complaint_id, access_token=None):
        """The complaint as superuser when the visitor may see it on the portal: a
        valid access token (signed link), the user's own read access (an employee),
        or one of the customer's own complaints. Raises AccessError / MissingError."""
        try:
            return self._document_check_access("customer.complaint", complaint_id, access_token)
        except AccessError:
            Complaint = request.env["customer.complaint"]
            domain = expression.AND(
                [[("id", "=", complaint_id)], Complaint._portal_search_domain()]
            )
            complaint_sudo = Complaint.sudo().search(domain)
            if not complaint_sudo:
                raise
            return complaint_sudo

    def _complaint_page_values(self, complaint_sudo, kw, message=None, error=None, reason=""):
        """The detail page's values. ``kw``: the request's parameters, of which only the
        chatter's identification (pid, hash) is used; ``message`` is one of the known
        notices, ``error`` a text of ours — never a request parameter shown as is."""
        values = {
            "page_name": "complaint",
            "complaint": complaint_sudo,
            "can_answer": complaint_sudo._portal_can_answer()
            and not request.env.user._is_internal(),
            "message": message if message in ("submitted", "accepted", "rejected") else None,
            "error": error,
            "reason": reason or "",
        }
        # the chatter always gets the token: portal users reach the thread through it
        # only (no access right), and see what Odoo shows a customer
        token = complaint_sudo._portal_ensure_token()
        ident = {k: kw[k] for k in ("pid", "hash") if kw.get(k)}
        return self._get_page_view_values(complaint_sudo, token, values, HISTORY, False, **ident)

    @http.route(["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, message=None, **kw):
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._complaint_page_values(complaint_sudo, kw, message=message)
        return request.render("customer_complaint.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/accept"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_accept(self, complaint_id, access_token=None, **kw):
        return self._complaint_answer(complaint_id, access_token, True, "", **kw)

    @http.route(
        ["/my/complaints/<int:complaint_id>/reject"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_reject(self, complaint_id, access_token=None, reason=None, **kw):
        return self._complaint_answer(complaint_id, access_token, False, reason, **kw)

    def _complaint_answer(self, complaint_id, access_token, accepted, reason, **kw):
        """SPEC §4 written reply: the customer accepts or rejects the remedy (处理协议),
        recorded by the core's step with the customer as actor."""
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        _ = request.env._
        reason = (reason or "").strip()
        error = None
        if request.env.user._is_internal():
            error = _("Only the customer answers on the portal.")
        elif not complaint_sudo._portal_can_answer():
            error = _("This complaint is not waiting for your answer.")
        elif not accepted and not reason:
            error = _("Please tell us why you do not accept the proposed remedy.")
        if not error:
            if request.env.user._is_public():
                partner = get_portal_partner(
                    complaint_sudo, kw.get("hash"), kw.get("pid"), access_token
                )
            else:
                partner = request.env.user.partner_id
            try:
                with request.env.cr.savepoint():
                    complaint_sudo._customer_answer(accepted, reason, partner or None)
            except (UserError, ValidationError, AccessError) as exc:
                error = exc.args[0]
        if error:
            values = self._complaint_page_values(complaint_sudo, kw, error=error, reason=reason)
            return request.render("customer_complaint.portal_my_complaint", values)
        query = "&message=%s" % ("accepted" if accepted else "rejected")
        for key in ("pid", "hash"):
            if kw.get(key):
                query += f"&{key}={kw[key]}"
        return request.redirect(complaint_sudo.get_portal_url(query_string=query))

    # -- submit a complaint ---------------------------------------------------------------

    def _complaint_form_values(self, post, error=None):
        Complaint = request.env["customer.complaint"]
        max_files, max_file, max_total = Complaint._portal_file_limits()
        return {
            "page_name": "complaint_new",
            "categories": Complaint._portal_categories(),
            "products": Complaint._portal_products(),
            "max_files": max_files,
            "max_file_mb": round(max_file / (1024 * 1024), 1),
            "max_total_mb": round(max_total / (1024 * 1024), 1),
            "error": error,
            "post": {
                key: post.get(key) or ""
                for key in ("category_id", "product_id", "lot_number", "description")
            },
        }

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_complaint_new(self, **post):
        if not request.env.user.share:
            # employees register complaints in the back end, for the customer
            return request.redirect("/odoo/action-customer_complaint.customer_complaint_action")
        error = None
        if request.httprequest.method == "POST":
            Complaint = request.env["customer.complaint"]
            _count, max_file, _total = Complaint._portal_file_limits()
            # read one byte more than allowed: a too large file is refused without
            # being read whole
            files = [
                (upload.filename, upload.read(max_file + 1))
                for upload in request.httprequest.files.getlist("photos")
                if upload.filename
            ]
            try:
                with request.env.cr.savepoint():
                    complaint_sudo = Complaint._portal_submit(post, files)
            except (UserError, ValidationError, AccessError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(
                    complaint_sudo.get_portal_url(query_string="&message=submitted")
                )
        values = self._prepare_portal_layout_values()
        values.update(self._complaint_form_values(post, error))
        return request.render("customer_complaint.portal_complaint_new", values)
