import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# what only the system changes on a card of the logistics programme
SYSTEM_FIELDS = frozenset({"partner_id", "program_id", "points", "expiration_date"})


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    logistics_company_id = fields.Many2one(
        "res.company",
        string="Logistics Programme of",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="Set on the cards of a company's logistics programme: one per commercial customer.",
    )
    logistics_tier_id = fields.Many2one(
        "logistics.loyalty.tier",
        string="Tier",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The tier of the points earned over the trailing twelve months, recomputed nightly and on earning.",
    )
    logistics_points_12m = fields.Float(
        string="Earned in 12 Months",
        digits=(16, 0),
        readonly=True,
        copy=False,
        help="Points earned on deliveries over the trailing twelve months, less their reversals.",
    )
    logistics_expiring_points = fields.Float(
        string="Expiring Soon",
        digits=(16, 0),
        compute="_compute_logistics_expiring_points",
        help="The points that expire within the company's 'expiring soon' days, oldest first.",
    )

    def init(self):
        res = super().init()
        # one card per commercial customer in a company's logistics programme,
        # whatever the number of workers creating it at once
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS loyalty_card_logistics_customer_unique
                    ON loyalty_card (logistics_company_id, partner_id)
                 WHERE logistics_company_id IS NOT NULL
                """
            )
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and (
            any(vals.get("logistics_company_id") for vals in vals_list)
            or self.env.context.get("default_logistics_company_id")
        ):
            raise AccessError(self.env._("Cards of the logistics loyalty programme are created by the system."))
        return super().create(vals_list)

    def write(self, vals):
        # what makes a card the customer's card in the programme, its balance
        # (the sum of its ledger) and its tier are the system's
        if not self.env.su and (
            vals.keys() & {"logistics_company_id", "logistics_tier_id", "logistics_points_12m"}
            or (vals.keys() & SYSTEM_FIELDS and self.sudo().filtered("logistics_company_id"))
        ):
            raise AccessError(
                self.env._(
                    "The customer, programme, points and tier of a logistics loyalty card are set by the system: "
                    "points change through the ledger."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_logistics_card(self):
        if not self.env.su and self.sudo().filtered("logistics_company_id"):
            raise AccessError(self.env._("Cards of the logistics loyalty programme are never deleted."))

    @api.model
    def _logistics_cards(self, customers, company):
        """{customer id: card} of the commercial ``customers`` in the
        logistics programme of ``company``, the missing cards created (one
        query to find them, one insert per missing card). Two transactions
        creating the same card: the unique index makes the second one wait
        until the first commits, then fail on its savepoint; it takes the
        first one's card, or, when its snapshot predates that card, raises a
        serialization failure, on which Odoo retries the request."""
        program = company.logistics_loyalty_program_id
        # sudo: the system keeps the cards of its programme
        cards = self.sudo().with_context(active_test=False)
        found = cards.search([("logistics_company_id", "=", company.id), ("partner_id", "in", customers.ids)])
        result = {card.partner_id.id: card for card in found}
        for customer in customers.filtered(lambda c: c.id not in result):
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    card = cards.with_context(loyalty_no_mail=True).create(
                        {
                            "program_id": program.id,
                            "partner_id": customer.id,
                            "logistics_company_id": company.id,
                            "points": 0.0,
                        }
                    )
            except psycopg2.errors.UniqueViolation as error:
                self.env.invalidate_all()
                card = cards.search(
                    [("logistics_company_id", "=", company.id), ("partner_id", "=", customer.id)], limit=1
                )
                if not card:
                    # created by a transaction this one's snapshot predates:
                    # Odoo retries the request on this error, and then sees it
                    raise psycopg2.errors.SerializationFailure(
                        f"loyalty card of partner {customer.id} created concurrently"
                    ) from error
            result[customer.id] = card
        return result

    def _logistics_post(self, vals_list):
        """Write the ledger entries ``vals_list`` (each with its
        ``card_id``) and add their points to their cards, the cards locked
        first in id order and updated in one statement, so that a card's
        points stay the sum of its ledger whoever posts at the same time."""
        cards = self.browse(sorted({vals["card_id"] for vals in vals_list}))
        cards._logistics_lock()
        # sudo: the system writes its ledger; the callers computed the values
        entries = self.env["loyalty.history"].sudo().with_context(logistics_order_history=False).create(vals_list)
        deltas = {}
        for vals in vals_list:
            delta = vals.get("issued", 0.0) - vals.get("used", 0.0)
            deltas[vals["card_id"]] = deltas.get(vals["card_id"], 0.0) + delta
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_card card SET points = card.points + delta.points
                  FROM (VALUES %s) AS delta (id, points)
                 WHERE card.id = delta.id
                """,
                SQL(", ").join(SQL("(%s, %s::float8)", card_id, delta) for card_id, delta in deltas.items()),
            )
        )
        cards.invalidate_recordset(["points"])
        return entries

    def _logistics_lock(self):
        """Lock these cards' rows until the end of the transaction (in id
        order, so that two transactions never deadlock)."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM loyalty_card WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
        self.invalidate_recordset(["points"])

    def _compute_logistics_expiring_points(self):
        expiring = self.env["loyalty.history"]._logistics_expiring_points(self.filtered("logistics_company_id"))
        for card in self:
            card.logistics_expiring_points = expiring.get(card.id, 0.0)

    # ------------------------------------------------------------------
    # tiers and the ledger check
    # ------------------------------------------------------------------

    @api.model
    def _logistics_all_cards(self):
        # sudo: the system keeps the cards of its programmes
        return self.sudo().with_context(active_test=False).search([("logistics_company_id", "!=", False)])

    def _logistics_recompute_tiers(self):
        """Recompute the points earned over twelve months and the tier of
        these cards (all the programmes' cards when called on none), in a
        few queries whatever their number; write only what changed, log each
        change of tier in the customer's chatter and, when the company says
        so, mail the customer. Returns the cards whose tier changed."""
        cards = (self or self._logistics_all_cards()).sudo().filtered("logistics_company_id")
        if not cards:
            return self.browse()
        earned = self.env["loyalty.history"]._logistics_earned_12_months(cards)
        tiers = self.env["logistics.loyalty.tier"].sudo().search([])
        tier_of = {}
        tiers_before = {card.id: card.logistics_tier_id for card in cards}
        changes = []
        for card in cards:
            points = max(earned.get(card.id, 0.0), 0.0)
            tier = tiers._logistics_tier_for(points, tiers)
            if card.logistics_points_12m != points or card.logistics_tier_id != tier:
                changes.append((card.id, points, tier.id or None))
                # a new card entering the lowest tier is no news
                if card.logistics_tier_id != tier and (card.logistics_tier_id or tier != tiers[:1]):
                    tier_of[card] = (card.logistics_tier_id, tier)
        if not changes:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_card card
                   SET logistics_points_12m = change.points, logistics_tier_id = change.tier_id
                  FROM (VALUES %s) AS change (id, points, tier_id)
                 WHERE card.id = change.id
                """,
                SQL(", ").join(SQL("(%s, %s::float8, %s::int4)", *change) for change in changes),
            )
        )
        cards.invalidate_recordset(["logistics_points_12m", "logistics_tier_id"])
        changed = self.browse([card.id for card in cards if card.logistics_tier_id != tiers_before[card.id]])
        if tier_of:
            self._logistics_log_tier_changes(tier_of)
        return changed

    @api.model
    def _logistics_log_tier_changes(self, tier_of):
        """Log {card: (old tier, new tier)} in the customers' chatter (one
        batch) and mail the customers of companies that mail tier changes."""
        bodies = {}
        for card, (old, new) in tier_of.items():
            bodies[card.partner_id.id] = self.env._(
                "Loyalty tier in %(company)s: %(old)s → %(new)s (%(points)s points earned in 12 months)",
                company=card.logistics_company_id.name,
                old=old.name or self.env._("none"),
                new=new.name or self.env._("none"),
                points=f"{card.logistics_points_12m:,.0f}",
            )
        # sudo: the system logs what it changed on the customers it serves
        self.env["res.partner"].sudo().browse(list(bodies))._message_log_batch(bodies=bodies)
        to_mail = self.browse(
            [
                card.id
                for card in tier_of
                if card.logistics_company_id.logistics_loyalty_tier_mail and card.logistics_tier_id
            ]
        )
        if to_mail:
            template = self.env.ref("logistics_crm.mail_template_loyalty_tier_change", raise_if_not_found=False)
            if template:
                template.sudo().send_mail_batch(to_mail.ids)

    @api.model
    def _logistics_check_ledger(self):
        """The cards of the programmes whose points differ from the sum of
        their ledger (one query); each is logged as an error and noted on the
        card. Returns them."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT card.id, card.points, COALESCE(SUM(entry.issued - entry.used), 0)
                  FROM loyalty_card card
                  LEFT JOIN loyalty_history entry ON entry.card_id = card.id
                 WHERE card.logistics_company_id IS NOT NULL
                 GROUP BY card.id
                HAVING ABS(card.points - COALESCE(SUM(entry.issued - entry.used), 0)) > 0.005
                """
            )
        )
        rows = self.env.cr.fetchall()
        cards = self.sudo().browse([row[0] for row in rows])
        for card_id, points, ledger in rows:
            _logger.error("Loyalty card %s holds %s points, its ledger %s", card_id, points, ledger)
            self.sudo().browse(card_id).message_post(
                body=self.env._(
                    "Integrity check: this card holds %(points)s points, its ledger adds up to %(ledger)s.",
                    points=points,
                    ledger=ledger,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return cards
