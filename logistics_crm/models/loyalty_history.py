import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, float_round

from .selections import LOYALTY_KIND_SELECTION

# what only the system sets on ledger entries
SYSTEM_FIELDS = frozenset(
    {"logistics_kind", "logistics_picking_id", "logistics_date", "logistics_shortfall", "logistics_complaint_id"}
)
# the kinds of entry that add points which expire (a 'redeem' entry that
# issues points gives back a cancelled redemption: it takes nothing from the
# oldest points, so it undoes what the redemption consumed)
REDEEM = "redeem"


class LoyaltyHistory(models.Model):
    """The ledger of the logistics programme: Odoo's points history, each
    entry with its kind and the delivery behind it. Entries of a logistics
    programme are never edited or deleted below the system (sudo)."""

    _inherit = "loyalty.history"

    # the ledger is read card by card (balances, FIFO, tiers) and order by
    # order (redemptions, cancellations): Odoo indexes neither
    card_id = fields.Many2one(index=True)
    order_id = fields.Many2oneReference(index="btree_not_null")
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    logistics_partner_id = fields.Many2one(
        related="card_id.partner_id", string="Customer", store=True, index="btree_not_null"
    )
    logistics_kind = fields.Selection(LOYALTY_KIND_SELECTION, string="Kind", readonly=True, index=True)
    logistics_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The delivery that earned the points, or the return that reversed them.",
    )
    logistics_date = fields.Datetime(
        string="Date",
        default=fields.Datetime.now,
        readonly=True,
        index=True,
        help="When the points were credited or debited: earned points expire from this date, oldest first.",
    )
    logistics_shortfall = fields.Float(
        string="Shortfall",
        digits=(16, 0),
        readonly=True,
        help="Points a return should have reversed that the balance no longer held.",
    )
    logistics_complaint_id = fields.Many2one(
        "logistics.complaint",
        string="Complaint",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The complaint whose compensation credited these points.",
    )

    def init(self):
        res = super().init()
        # a delivery earns once and a return reverses once, whatever retries,
        # re-validations or workers
        self.env.cr.execute(
            SQL(
                """
                DROP INDEX IF EXISTS loyalty_history_logistics_earn_unique;
                CREATE UNIQUE INDEX IF NOT EXISTS loyalty_history_logistics_picking_unique
                    ON loyalty_history (logistics_picking_id)
                 WHERE logistics_kind IN ('earn', 'reverse')
                """
            )
        )
        # a complaint's compensation is credited once
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS loyalty_history_logistics_compensation_unique
                    ON loyalty_history (logistics_complaint_id)
                 WHERE logistics_kind = 'compensation'
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
        if self.env.context.get("logistics_order_history"):
            return self._logistics_create_order_history(vals_list)
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
        if self.env.context.get("logistics_keep_ledger"):
            # Odoo cancelling an order: the ledger's entries stay (the
            # points come back as an entry of their own)
            # sudo: whether the entries belong to a logistics programme
            return super(LoyaltyHistory, self - self.sudo().filtered("card_id.logistics_company_id")).unlink()
        self._logistics_check_ledger()
        return super().unlink()

    @api.model
    def _logistics_create_order_history(self, vals_list):
        """Odoo's history lines of a confirmed order: those of logistics
        cards are posted as redemption entries of the ledger, the others
        created as Odoo does."""
        History = self.with_context(logistics_order_history=False)
        # sudo: which cards belong to a logistics programme
        logistics_cards = set(
            self.env["loyalty.card"]
            .sudo()
            .browse({vals["card_id"] for vals in vals_list})
            .filtered("logistics_company_id")
            .ids
        )
        ours = [vals for vals in vals_list if vals["card_id"] in logistics_cards]
        entries = History.create([vals for vals in vals_list if vals["card_id"] not in logistics_cards])
        for order_id in sorted({vals["order_id"] for vals in ours}):
            order = self.env["sale.order"].browse(order_id)
            entries |= order._logistics_redeem([vals for vals in ours if vals["order_id"] == order_id])
        return entries

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
        """{card id: points earned on deliveries over the trailing twelve
        months, less the points their returns reversed} (one query)."""
        if not cards:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT card_id,
                       SUM(CASE WHEN logistics_kind = 'earn' THEN issued ELSE -used END)
                  FROM loyalty_history
                 WHERE card_id IN %(cards)s
                   AND logistics_kind IN ('earn', 'reverse')
                   AND logistics_date >= %(since)s
                 GROUP BY card_id
                """,
                cards=tuple(cards.ids),
                since=fields.Datetime.now() - relativedelta(months=12),
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # expiry: first in, first out
    # ------------------------------------------------------------------

    @api.model
    def _logistics_unconsumed_old_points(self, cards=None, ahead=False):
        """{card id: points credited to the card before its expiry date
        (its company's expiry months ago, plus its 'expiring soon' days when
        ``ahead``) that no debit consumed}, for ``cards`` (all the cards of
        the logistics programmes when None), in one query.

        First in, first out: every debit (redemption, reversal, expiry,
        negative adjustment) consumes the oldest points, so of the points
        credited before the date, what all debits together did not consume
        is still there. An expiry entry is a debit: once written, the same
        points are never found again."""
        card_filter = SQL("c.logistics_company_id IS NOT NULL")
        if cards is not None:
            if not cards:
                return {}
            card_filter = SQL("c.id IN %s", tuple(cards.ids))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT card_id, points FROM (
                    SELECT h.card_id,
                           SUM(CASE WHEN h.logistics_kind IS DISTINCT FROM %(redeem)s
                                     AND h.logistics_date < %(now)s
                                         - make_interval(months => co.logistics_loyalty_expiry_months)
                                         + make_interval(days => CASE WHEN %(ahead)s
                                                                      THEN co.logistics_loyalty_expiring_days
                                                                      ELSE 0 END)
                                    THEN h.issued ELSE 0 END)
                         - SUM(h.used)
                         + SUM(CASE WHEN h.logistics_kind = %(redeem)s THEN h.issued ELSE 0 END) AS points
                      FROM loyalty_history h
                      JOIN loyalty_card c ON c.id = h.card_id
                      JOIN res_company co ON co.id = c.logistics_company_id
                     WHERE %(card_filter)s AND co.logistics_loyalty_expiry_months > 0
                     GROUP BY h.card_id
                ) unconsumed
                WHERE points > 0
                """,
                redeem=REDEEM,
                now=fields.Datetime.now(),
                ahead=ahead,
                card_filter=card_filter,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _logistics_expiring_points(self, cards):
        """{card id: points that expire within the 'expiring soon' days of
        the card's company}."""
        return self._logistics_unconsumed_old_points(cards, ahead=True) if cards else {}

    @api.model
    def _logistics_expire(self, cards=None):
        """Expire the points credited before the expiry date that no debit
        consumed, of ``cards`` (all when None), as one expiry entry per card.
        Safe to rerun: the entries consume what they expire. Returns them."""
        found = self._logistics_unconsumed_old_points(cards)
        if not found:
            return self.browse()
        Card = self.env["loyalty.card"].sudo()
        # locked, then found again: a redemption committed meanwhile makes
        # the lock fail (serialization), never an expiry of spent points
        Card.browse(sorted(found))._logistics_lock()
        found = self._logistics_unconsumed_old_points(Card.browse(sorted(found)))
        description = self.env._("Points expired (oldest first)")
        return Card._logistics_post(
            [
                {
                    "card_id": card_id,
                    "logistics_kind": "expire",
                    "issued": 0.0,
                    "used": points,
                    "description": description,
                }
                for card_id, points in sorted(found.items())
            ]
        )

    @api.model
    def _cron_logistics_expire(self):
        """The nightly loyalty run: expire points, recompute the tiers, check
        the ledger."""
        self._logistics_expire()
        self.env["loyalty.card"]._logistics_recompute_tiers()
        self.env["loyalty.card"]._logistics_check_ledger()
        return True

    @api.model
    def _logistics_earn_for_pickings(self, pickings):
        """Credit the customers of the validated deliveries ``pickings``:
        for each done outgoing delivery of a sale order (not a return), of a
        company with a logistics programme, floor(untaxed delivered value /
        the company's amount per point x the customer's tier multiplier)
        points, once per delivery. The
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
                    float_round(
                        self._logistics_delivered_value(picking) / company.logistics_loyalty_earn_amount * multiplier,
                        precision_digits=6,
                    )
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
        if not vals_list:
            return self.browse()
        entries = Card._logistics_post(vals_list)
        entries.card_id._logistics_recompute_tiers()
        return entries

    @api.model
    def _logistics_reverse_for_returns(self, pickings):
        """Take back the points of what the validated returns ``pickings``
        brought back: of each return of a delivery that earned, the earned
        points in proportion of the value returned to the value delivered,
        rounded down, never more than what the delivery earned less what its
        other returns reversed, and never below a zero balance (the rest is
        recorded as the entry's shortfall). Once per return: the cards are
        locked, the returns that reversed already are left out, and a unique
        index refuses a second reversal of a return."""
        returns = pickings.filtered(lambda p: p.state == "done" and p.return_id)
        if not returns:
            return self.browse()
        # sudo: the ledger of the deliveries returned, whoever validates the return
        History = self.sudo()
        earnings = History.search(
            [("logistics_kind", "=", "earn"), ("logistics_picking_id", "in", returns.return_id.ids)]
        )
        if not earnings:
            return self.browse()
        earning_of = {entry.logistics_picking_id.id: entry for entry in earnings}
        earnings.card_id._logistics_lock()
        done = History.search(
            [("logistics_kind", "=", "reverse"), ("logistics_picking_id.return_id", "in", list(earning_of))]
        )
        reversed_of = {}
        for entry in done:
            origin = entry.logistics_picking_id.return_id.id
            reversed_of[origin] = reversed_of.get(origin, 0.0) + entry.used + entry.logistics_shortfall
        balances = {card.id: card.points for card in earnings.card_id}
        vals_list = []
        for picking in returns.sorted("id"):
            earning = earning_of.get(picking.return_id.id)
            if not earning or picking.id in done.logistics_picking_id.ids:
                continue
            delivered = self._logistics_delivered_value(picking.return_id)
            if not delivered:
                continue
            due = math.floor(
                float_round(
                    earning.issued * min(self._logistics_delivered_value(picking) / delivered, 1.0),
                    precision_digits=6,
                )
            )
            due = min(due, earning.issued - reversed_of.get(picking.return_id.id, 0.0))
            if due <= 0:
                continue
            reversed_of[picking.return_id.id] = reversed_of.get(picking.return_id.id, 0.0) + due
            card_id = earning.card_id.id
            taken = min(due, max(balances[card_id], 0.0))
            balances[card_id] -= taken
            vals_list.append(
                {
                    "card_id": card_id,
                    "logistics_kind": "reverse",
                    "logistics_picking_id": picking.id,
                    "issued": 0.0,
                    "used": taken,
                    "logistics_shortfall": due - taken,
                    "order_model": earning.order_model,
                    "order_id": earning.order_id,
                    "description": self.env._(
                        "Return %(picking)s of %(delivery)s", picking=picking.name, delivery=picking.return_id.name
                    ),
                }
            )
        if not vals_list:
            return self.browse()
        entries = self.env["loyalty.card"]._logistics_post(vals_list)
        entries.card_id._logistics_recompute_tiers()
        return entries
