from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools.text import has_visible_text

# the longest summary and description kept from the portal form
MAX_SUMMARY_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000
PAGE_SIZE = 20


class LogisticsComplaintPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["logistics.complaint"]
            values["complaint_count"] = Complaint.search_count([]) if Complaint.has_access("read") else 0
        return values

    def _logistics_customer(self):
        return request.env.user.partner_id.commercial_partner_id

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, **kw):
        # the record rules give portal users their customer's complaints
        Complaint = request.env["logistics.complaint"]
        if not Complaint.has_access("read"):
            return request.redirect("/my")
        count = Complaint.search_count([])
        pager = portal_pager(url="/my/complaints", total=count, page=page, step=PAGE_SIZE)
        complaints = Complaint.search([], limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({"complaints": complaints, "pager": pager, "page_name": "complaint"})
        return request.render("logistics_crm.portal_my_complaints", values)

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._document_check_access("logistics.complaint", complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            complaint_sudo,
            access_token,
            {"complaint": complaint_sudo, "page_name": "complaint"},
            "my_complaints_history",
            False,
        )
        return request.render("logistics_crm.portal_my_complaint", values)

    def _logistics_portal_documents(self):
        """The deliveries and orders of the user's customer, to complain about."""
        customer = self._logistics_customer()
        # sudo: a portal user may not read deliveries; only their own
        # customer's are listed
        pickings = (
            request.env["stock.picking"]
            .sudo()
            .search(
                [("partner_id", "child_of", customer.id), ("picking_type_code", "=", "outgoing")],
                order="id desc",
                limit=50,
            )
        )
        orders = (
            request.env["sale.order"]
            .sudo()
            .search(
                [("partner_id", "child_of", customer.id), ("state", "=", "sale")],
                order="id desc",
                limit=50,
            )
        )
        return pickings, orders

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_new_complaint(self, **post):
        if not request.env["logistics.complaint"].has_access("read"):
            return request.redirect("/my")
        pickings, orders = self._logistics_portal_documents()
        values = self._prepare_portal_layout_values()
        values.update({"pickings": pickings, "orders": orders, "page_name": "complaint", "error": "", "post": post})
        if request.httprequest.method != "POST":
            return request.render("logistics_crm.portal_new_complaint", values)
        summary = (post.get("summary") or "").strip()[:MAX_SUMMARY_LENGTH]
        description = (post.get("description") or "").strip()[:MAX_DESCRIPTION_LENGTH]
        picking = pickings.filtered(lambda p: str(p.id) == post.get("picking_id"))
        order = orders.filtered(lambda o: str(o.id) == post.get("sale_order_id"))
        if not has_visible_text(summary) or not has_visible_text(description):
            values["error"] = request.env._("Say in a line and in a few words what went wrong.")
        elif (post.get("picking_id") and not picking) or (post.get("sale_order_id") and not order):
            # another customer's document, or none: the same answer
            values["error"] = request.env._("Choose one of your own deliveries or orders.")
        elif picking.sale_id and order and picking.sale_id != order:
            values["error"] = request.env._("This delivery is not one of this order.")
        elif not picking and not order:
            values["error"] = request.env._("Choose the delivery or the order you complain about.")
        if values["error"]:
            return request.render("logistics_crm.portal_new_complaint", values)
        company = (picking or order).company_id
        # sudo: portal users cannot create complaints; the values are checked
        # above (their own delivery or order, plain text) and the rest is set here
        complaint = (
            request.env["logistics.complaint"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "partner_id": request.env.user.partner_id.id,
                    "company_id": company.id,
                    "channel": "portal",
                    "summary": summary,
                    "description": plaintext2html(description),
                    "picking_id": picking.id,
                    "sale_order_id": order.id or picking.sale_id.id,
                }
            )
        )
        return request.redirect(f"/my/complaints/{complaint.id}")
