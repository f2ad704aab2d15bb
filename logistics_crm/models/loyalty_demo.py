from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    @api.model
    def _logistics_demo_ledger(self, entries):
        """Demo data only (``demo/loyalty_demo.xml``; the module itself never
        calls this): two and a half years of loyalty points.

        The demo deliveries earned their points when the demo validated them
        (an upgraded database earns them here, once); their entries are dated
        when the deliveries were done. ``entries`` adds, per customer xmlid,
        ``(kind, points, days ago, description)``: earlier earnings (some old
        enough to expire), redemptions, a reversal, adjustments, compensation
        (a negative ``points`` is used, a positive one issued), posted through
        the ledger so that balances stay the sum of their entries, then dated
        in the past (the ledger's dates are the system's: set here in SQL,
        for the demo only). The nightly run then expires what is over 24
        months old and sets the tiers."""
        company = self.env.ref("base.main_company")
        History = self.env["loyalty.history"].sudo()
        done = (
            self.env["stock.picking"]
            .sudo()
            .search([("state", "=", "done"), ("picking_type_code", "=", "outgoing"), ("company_id", "=", company.id)])
        )
        History._logistics_earn_for_pickings(done)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_history entry
                   SET logistics_date = picking.date_done
                  FROM stock_picking picking
                 WHERE picking.id = entry.logistics_picking_id AND entry.logistics_kind = 'earn'
                """
            )
        )
        now = fields.Datetime.now()
        customers = {xmlid: self.env.ref(xmlid) for xmlid in {entry[0] for entry in entries}}
        cards = self._logistics_cards(self.env["res.partner"].concat(*customers.values()), company)
        posted = []
        for xmlid, kind, points, days_ago, description in entries:
            card = cards[customers[xmlid].id]
            entry = self._logistics_post(
                [
                    {
                        "card_id": card.id,
                        "logistics_kind": kind,
                        "issued": max(points, 0),
                        "used": max(-points, 0),
                        "description": description,
                    }
                ]
            )
            posted.append((entry.id, now - relativedelta(days=days_ago)))
        self.env.flush_all()
        for entry_id, date in posted:
            self.env.cr.execute(SQL("UPDATE loyalty_history SET logistics_date = %s WHERE id = %s", date, entry_id))
        self.env.invalidate_all()
        History._cron_logistics_expire()
        return True
