"""The loyalty programme on Odoo's Loyalty app: programme, tiers, ledger,
earning on delivery."""

import threading
import time

import psycopg2
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

from .survey_common import LogisticsSurveyCommon


class TestLoyaltyProgram(LogisticsSurveyCommon):
    def test_program_per_company(self):
        """Every company, new ones included, has its loyalty programme with
        the freight-discount reward and no earning rule of Odoo's."""
        for company in (self.company, self.company_b):
            program = company.logistics_loyalty_program_id
            self.assertTrue(program, company.name)
            self.assertEqual(program.program_type, "loyalty")
            self.assertEqual(program.company_id, company)
            self.assertFalse(program.rule_ids, "no earning rule of Odoo's own")
            reward = program.reward_ids
            self.assertEqual(len(reward), 1)
            self.assertEqual(reward.reward_type, "discount")
            self.assertEqual(reward.discount_mode, "per_point")
            self.assertEqual(reward.discount, 0.1, "100 points = 10")
            self.assertEqual(reward.required_points, 100.0)
            self.assertEqual(reward.discount_line_product_id, self.env.ref("logistics_crm.product_freight_discount"))
        self.assertNotEqual(self.company.logistics_loyalty_program_id, self.company_b.logistics_loyalty_program_id)
        # idempotent
        self.env["res.company"]._logistics_ensure_loyalty_programs()
        self.assertEqual(self.env["loyalty.program"].search_count([("company_id", "=", self.company_b.id)]), 1)


class TestLoyaltyTiers(LogisticsSurveyCommon):
    def test_default_tiers(self):
        silver = self.env.ref("logistics_crm.loyalty_tier_silver")
        gold = self.env.ref("logistics_crm.loyalty_tier_gold")
        platinum = self.env.ref("logistics_crm.loyalty_tier_platinum")
        self.assertEqual(
            [(t.threshold, t.multiplier, t.discount_percent, t.priority) for t in silver | gold | platinum],
            [(0, 1.0, 0, False), (10000, 1.2, 2, False), (50000, 1.5, 5, True)],
        )
        Tier = self.env["logistics.loyalty.tier"]
        for points, tier in ((0, silver), (9999, silver), (10000, gold), (49999, gold), (50000, platinum)):
            with self.subTest(points=points):
                self.assertEqual(Tier._logistics_tier_for(points), tier)

    def test_numbers_validated(self):
        Tier = self.env["logistics.loyalty.tier"].with_user(self.user_admin)
        for values in (
            {"threshold": -1},
            {"threshold": float("nan")},
            {"multiplier": float("inf")},
            {"multiplier": 0},
            {"discount_percent": 101},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Tier.create({"name": "Bad", "threshold": 777, **values})

    def test_rights(self):
        gold = self.env.ref("logistics_crm.loyalty_tier_gold")
        self.assertEqual(gold.with_user(self.user_specialist).name, "Gold")
        with self.assertRaises(AccessError):
            gold.with_user(self.user_manager).write({"multiplier": 3})
        gold.with_user(self.user_admin).write({"multiplier": 1.3})
        self.assertEqual(gold.multiplier, 1.3)


class TestLoyaltyEarning(LogisticsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_survey_enabled = False
        cls.customer, cls.contact = cls._create_shipper("Loyal Shipper")
        # a pallet at 10.0 (tax-free): 1 point a pallet for a Silver customer
        cls.goods.taxes_id = [Command.clear()]

    def _order(self, qty, price=100.0):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.goods.id, "product_uom_qty": qty, "price_unit": price, "tax_id": []}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _card(self):
        self.env.invalidate_all()
        return self.customer.with_user(self.user_specialist).logistics_loyalty_card_id.sudo()

    def _ledger(self, card=None):
        card = card or self._card()
        return self.env["loyalty.history"].search([("card_id", "=", card.id)])

    def assertBalanced(self, card=None):
        card = card or self._card()
        self.env.invalidate_all()
        ledger = self._ledger(card)
        self.assertAlmostEqual(card.points, sum(ledger.mapped("issued")) - sum(ledger.mapped("used")))

    def test_full_delivery(self):
        order = self._order(3, price=105.0)  # 315.0: 31 points
        self.assertFalse(self.customer.with_user(self.user_specialist).logistics_loyalty_card_id)
        picking = self._validate(order.picking_ids)
        card = self._card()
        self.assertEqual(card.program_id, self.company.logistics_loyalty_program_id)
        self.assertEqual(card.partner_id, self.customer, "the commercial customer's card")
        entry = self._ledger()
        self.assertRecordValues(
            entry,
            [
                {
                    "logistics_kind": "earn",
                    "logistics_picking_id": picking.id,
                    "issued": 31,
                    "used": 0,
                    "order_id": order.id,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(card.points, 31)
        self.assertBalanced()

    def test_partial_delivery_and_backorder(self):
        order = self._order(5)  # 100.0 a pallet: 10 points each
        first = order.picking_ids
        self._validate(first, qty=2)
        self.assertEqual(self._card().points, 20)
        self.assertBalanced()
        backorder = order.picking_ids - first
        self.assertEqual(len(backorder), 1)
        self._validate(backorder)
        self.assertEqual(self._card().points, 50)
        self.assertEqual(
            sorted(self._ledger().mapped(lambda h: (h.logistics_picking_id.id, h.issued))),
            sorted([(first.id, 20), (backorder.id, 30)]),
        )
        self.assertBalanced()

    def test_retry_and_revalidation(self):
        order = self._order(2)
        picking = self._validate(order.picking_ids)
        History = self.env["loyalty.history"]
        self.assertFalse(History._logistics_earn_for_pickings(picking), "a retry earns nothing")
        self.assertFalse(History._logistics_earn_for_pickings(picking | picking), "nor twice in a batch")
        picking._action_done()
        self.assertEqual(len(self._ledger()), 1)
        self.assertEqual(self._card().points, 20)
        self.assertBalanced()
        # even past the check, the database refuses a second earning entry of the delivery
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["loyalty.card"]._logistics_post(
                [
                    {
                        "card_id": self._card().id,
                        "logistics_kind": "earn",
                        "logistics_picking_id": picking.id,
                        "issued": 20,
                        "description": "again",
                    }
                ]
            )
        self.assertBalanced()

    def test_batch_and_tier_multiplier(self):
        """Deliveries validated together earn in one batch; a Gold customer
        earns 1.2 times."""
        other, other_contact = self._create_shipper("Other Shipper")
        gold_card = self.env["loyalty.card"]._logistics_cards(other, self.company)[other.id]
        self.env["loyalty.card"]._logistics_post(
            [{"card_id": gold_card.id, "logistics_kind": "earn", "issued": 10000, "description": "earned before"}]
        )
        order = self._order(1, price=1000.0)
        other_order = self.env["sale.order"].create(
            {
                "partner_id": other_contact.id,
                "order_line": [
                    Command.create({"product_id": self.goods.id, "product_uom_qty": 1, "price_unit": 1000.0})
                ],
            }
        )
        other_order.action_confirm()
        self._validate(order.picking_ids | other_order.picking_ids)
        self.assertEqual(self._card().points, 100)
        self.assertEqual(gold_card.points, 10000 + 120)
        self.assertBalanced()
        self.assertBalanced(gold_card)

    def test_one_card_per_customer(self):
        Card = self.env["loyalty.card"]
        card = Card._logistics_cards(self.customer, self.company)[self.customer.id]
        self.assertEqual(Card._logistics_cards(self.customer, self.company)[self.customer.id], card)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Card.create(
                {
                    "program_id": self.company.logistics_loyalty_program_id.id,
                    "partner_id": self.customer.id,
                    "logistics_company_id": self.company.id,
                }
            )

    def test_ledger_guarded(self):
        order = self._order(1)
        self._validate(order.picking_ids)
        entry = self._ledger()
        for user in (self.user_specialist, self.user_manager, self.user_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    entry.with_user(user).write({"issued": 1000})
                with self.assertRaises(AccessError):
                    entry.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["loyalty.history"].with_user(user).create(
                        {"card_id": entry.card_id.id, "logistics_kind": "adjust", "issued": 5, "description": "x"}
                    )
        self.assertEqual(entry.issued, 10)
        self.assertBalanced()

    def test_card_guarded(self):
        """A salesperson (Odoo's rights on cards) cannot move, delete or forge
        a card of the programme."""
        card = self.env["loyalty.card"]._logistics_cards(self.customer, self.company)[self.customer.id]
        other, _contact = self._create_shipper("Other Shipper")
        salesman = self.env["res.users"].browse(self.user_salesman.id)
        salesman.groups_id = [Command.link(self.env.ref("sales_team.group_sale_manager").id)]
        for values in ({"partner_id": other.id}, {"logistics_company_id": self.company_b.id}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                card.with_user(salesman).write(values)
        with self.assertRaises(AccessError):
            card.with_user(salesman).unlink()
        with self.assertRaises(AccessError):
            self.env["loyalty.card"].with_user(salesman).create(
                {
                    "program_id": self.company.logistics_loyalty_program_id.id,
                    "partner_id": other.id,
                    "logistics_company_id": self.company.id,
                }
            )
        self.assertEqual(card.partner_id, self.customer)


class TestLoyaltyCardConcurrency(BaseCase):  # commits on real cursors, cleaned up at the end
    """Two transactions creating the card of one customer at once, on real
    cursors (committed data, removed afterwards)."""

    def test_card_created_once(self):
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company_id = env.ref("base.main_company").id
            customer_id = env["res.partner"].create({"name": "Concurrent Loyal Shipper", "is_company": True}).id
            cr.commit()  # pylint: disable=invalid-commit
        first_inserted = threading.Event()
        results = {}

        def first():
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                card = env["loyalty.card"]._logistics_cards(
                    env["res.partner"].browse(customer_id), env["res.company"].browse(company_id)
                )
                results["first"] = card[customer_id].id
                first_inserted.set()
                time.sleep(0.5)  # the second one waits on the unique index meanwhile
                cr.commit()  # pylint: disable=invalid-commit

        def second():
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env.cr.execute("SELECT 1")  # its snapshot predates the first one's card
                env["res.partner"].browse(customer_id).name  # noqa: B018
                first_inserted.wait(10)
                try:
                    card = env["loyalty.card"]._logistics_cards(
                        env["res.partner"].browse(customer_id), env["res.company"].browse(company_id)
                    )
                    results["second"] = card[customer_id].id
                except psycopg2.errors.SerializationFailure:
                    results["second"] = "retry"
                    cr.rollback()
                    # the retry of the request sees the first one's card
                    card = env["loyalty.card"]._logistics_cards(
                        env["res.partner"].browse(customer_id), env["res.company"].browse(company_id)
                    )
                    results["retried"] = card[customer_id].id
                cr.commit()  # pylint: disable=invalid-commit

        try:
            threads = [threading.Thread(target=first), threading.Thread(target=second)]
            with mute_logger("odoo.sql_db"):
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
            self.assertEqual(results.get("second"), "retry", results)
            self.assertEqual(results.get("retried"), results.get("first"), results)
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM loyalty_card WHERE logistics_company_id = %s AND partner_id = %s",
                    (company_id, customer_id),
                )
                self.assertEqual(cr.fetchone()[0], 1, "one card")
        finally:
            with registry.cursor() as cr:
                cr.execute("DELETE FROM loyalty_card WHERE partner_id = %s", (customer_id,))
                cr.execute("DELETE FROM res_partner WHERE id = %s", (customer_id,))
