from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PAGE_SIZE = 20


class LogisticsLoyaltyPortal(CustomerPortal):
    """The customer's loyalty card on the portal: /my/loyalty shows the card
    of the user's own customer (its commercial entity) in the company the
    user works in, and its ledger. No id in the URL: there is no other
    customer's card to reach."""

    def _logistics_loyalty_card(self):
        customer = request.env.user.partner_id.commercial_partner_id
        company = request.env.company
        # sudo: portal users have no right on cards; the search is scoped to
        # their own customer and company
        return (
            request.env["loyalty.card"]
            .sudo()
            .search([("logistics_company_id", "=", company.id), ("partner_id", "=", customer.id)], limit=1)
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_loyalty_points" in counters:
            card = self._logistics_loyalty_card()
            values["logistics_loyalty_points"] = int(card.points) if card else 0
        return values

    @http.route(["/my/loyalty", "/my/loyalty/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_logistics_loyalty(self, page=1, **kw):
        card = self._logistics_loyalty_card()
        # sudo: the entries of the user's own card (found above)
        History = request.env["loyalty.history"].sudo()
        domain = [("card_id", "=", card.id)] if card else [("id", "=", 0)]
        count = History.search_count(domain)
        pager = portal_pager(url="/my/loyalty", total=count, page=page, step=PAGE_SIZE)
        entries = History.search(domain, order="logistics_date desc, id desc", limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "card": card,
                "tier": card.logistics_tier_id,
                "entries": entries,
                "kinds": dict(History._fields["logistics_kind"]._description_selection(request.env)),
                "pager": pager,
                "page_name": "logistics_loyalty",
            }
        )
        return request.render("logistics_crm.portal_my_logistics_loyalty", values)
