import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, float_round

from .selections import LOYALTY_KIND_SELECTION

# what only the system sets on ledger entries
SYSTEM_FIELDS = frozenset({"logistics_kind", "logistics_picking_id"})


class LoyaltyHistory(models.Model):
    """The ledger of the logistics programme: Odoo's points history, each
    entry with its kind and the delivery behind it. Entries of a logistics
    programme are never edited or deleted below the system (sudo)."""

    _inherit = "loyalty.history"

    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    logistics_kind = fields.Selection(LOYALTY_KIND_SELECTION, string="Kind", readonly=True, index=True)
    logistics_picking_id = fields.Many2one(
        "stock.picking", string="Delivery", readonly=True, index="btree_not_null", ondelete="restrict"
    )

    def init(self):
        res = super().init()
        # a delivery earns once, whatever retries, re-validations or workers
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS loyalty_history_logistics_earn_unique
                    ON loyalty_history (logistics_picking_id)
                 WHERE logistics_kind = 'earn'
                """
            )
        )
        return res

    def _logistics_check_ledger(self):
        if self.env.su:
            return
        # sudo: whether the entries belong to a logistics programme, whoever asks
        if self.sudo().filtered(lambda h: h.card_id.logistics_company_id or h.logistics_kind):
            raise AccessError(self.env._("Entries of the loyalty ledger are never edited or deleted."))

    @api.model_create_multi
    def create(self, vals_list):
        system_values = any(vals.keys() & SYSTEM_FIELDS for vals in vals_list) or any(
            f"default_{fname}" in self.env.context for fname in SYSTEM_FIELDS
        )
        if system_values and not self.env.su:
            raise AccessError(self.env._("Entries of the loyalty ledger are written by the system."))
        return super().create(vals_list)

    def write(self, vals):
        self._logistics_check_ledger()
        return super().write(vals)

    def unlink(self):
        self._logistics_check_ledger()
        return super().unlink()

    # ------------------------------------------------------------------
    # earning on delivery
    # ------------------------------------------------------------------

    @api.model
    def _logistics_delivered_value(self, picking):
        """The untaxed value, in the company's currency, of what ``picking``
        delivered of its sale order's lines."""
        company = picking.company_id
        value = 0.0
        for move in picking.move_ids.filtered(lambda m: m.state == "done" and m.sale_line_id):
            line = move.sale_line_id
            if not line.product_uom_qty:
                continue
            qty = move.product_uom._compute_quantity(move.quantity, line.product_uom)
            value += line.currency_id._convert(
                line.price_subtotal * qty / line.product_uom_qty,
                company.currency_id,
                company,
                picking.date_done or fields.Datetime.now(),
            )
        return value

    @api.model
    def _logistics_earned_12_months(self, cards):
        """{card id: points earned over the trailing twelve months}."""
        if not cards:
            return {}
        since = fields.Datetime.now() - relativedelta(months=12)
        groups = self.sudo()._read_group(
            [("card_id", "in", cards.ids), ("logistics_kind", "=", "earn"), ("create_date", ">=", since)],
            ["card_id"],
            ["issued:sum"],
        )
        return {card.id: issued for card, issued in groups}

    @api.model
    def _logistics_earn_for_pickings(self, pickings):
        """Credit the customers of the validated deliveries ``pickings``:
        for each done outgoing delivery of a sale order (not a return), of a
        company with a logistics programme, floor(untaxed delivered value /
        10 x the customer's tier multiplier) points, once per delivery. The
        cards are locked first, then the deliveries that earned already are
        left out: a retry, a re-validation or another worker never earns
        twice (and the unique index on the earning entry of a delivery would
        refuse it anyway). Returns the entries written."""
        pickings = pickings.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.sale_id
                and not p.return_id
                and p.company_id.logistics_loyalty_program_id
            )
        )
        if not pickings:
            return self.browse()
        Card = self.env["loyalty.card"]
        tiers = self.env["logistics.loyalty.tier"].sudo().search([])
        vals_list = []
        for company, company_pickings in pickings.grouped("company_id").items():
            customers = company_pickings.sale_id.partner_id.commercial_partner_id
            cards = Card._logistics_cards(customers, company)
            Card.browse([card.id for card in cards.values()])._logistics_lock()
            # sudo: whether the deliveries earned already, whoever validates them
            earned = set(
                self.sudo()
                .search([("logistics_picking_id", "in", company_pickings.ids), ("logistics_kind", "=", "earn")])
                .logistics_picking_id.ids
            )
            totals = self._logistics_earned_12_months(Card.browse([card.id for card in cards.values()]))
            for picking in company_pickings.sorted("id"):
                if picking.id in earned:
                    continue
                card = cards[picking.sale_id.partner_id.commercial_partner_id.id]
                tier = tiers._logistics_tier_for(totals.get(card.id, 0.0), tiers)
                multiplier = tier.multiplier if tier else 1.0
                points = math.floor(
                    float_round(self._logistics_delivered_value(picking) / 10.0 * multiplier, precision_digits=6)
                )
                if points <= 0:
                    continue
                totals[card.id] = totals.get(card.id, 0.0) + points
                vals_list.append(
                    {
                        "card_id": card.id,
                        "logistics_kind": "earn",
                        "logistics_picking_id": picking.id,
                        "issued": points,
                        "used": 0.0,
                        "order_model": "sale.order",
                        "order_id": picking.sale_id.id,
                        "description": self.env._(
                            "Delivery %(picking)s of %(order)s", picking=picking.name, order=picking.sale_id.name
                        ),
                    }
                )
        return Card._logistics_post(vals_list) if vals_list else self.browse()
