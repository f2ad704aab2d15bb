import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, mute_logger


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
        # what makes a card the customer's card in the programme is the system's
        if not self.env.su and (
            "logistics_company_id" in vals
            or (vals.keys() & {"partner_id", "program_id"} and self.sudo().filtered("logistics_company_id"))
        ):
            raise AccessError(
                self.env._("The customer and programme of a logistics loyalty card are set by the system.")
            )
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self.sudo().filtered("logistics_company_id"):
            raise AccessError(self.env._("Cards of the logistics loyalty programme are never deleted."))
        return super().unlink()

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
        ``card_id``) and add their points to their cards, in one statement per
        card, so that the card's points stay the sum of its ledger."""
        # sudo: the system writes its ledger; the callers computed the values
        entries = self.env["loyalty.history"].sudo().create(vals_list)
        deltas = {}
        for entry in entries:
            deltas[entry.card_id.id] = deltas.get(entry.card_id.id, 0.0) + entry.issued - entry.used
        for card_id, delta in sorted(deltas.items()):
            self.env.cr.execute(SQL("UPDATE loyalty_card SET points = points + %s WHERE id = %s", delta, card_id))
        self.browse(list(deltas)).invalidate_recordset(["points"])
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
