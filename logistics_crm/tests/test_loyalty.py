"""The loyalty programme on Odoo's Loyalty app: programme, tiers, ledger,
earning on delivery."""

import threading
import time

import psycopg2
from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import new_test_user
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


# the tier recompute of a batch: its cards, the twelve-month totals, the
# tiers, the update, the chatter (partners, messages, followers)
QUERIES_TIER_RECOMPUTE = 11


class LoyaltyCase(LogisticsSurveyCommon):
    """A customer of the main company, pallets at 10.0 without tax, and the
    ledger's helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_survey_enabled = False
        cls.customer, cls.contact = cls._create_shipper("Redeeming Shipper")
        cls.goods.taxes_id = [Command.clear()]
        cls.program = cls.company.logistics_loyalty_program_id
        cls.reward = cls.program.reward_ids

    def _card(self, customer=None):
        customer = customer or self.customer
        return self.env["loyalty.card"]._logistics_cards(customer, self.company)[customer.id]

    def _post(self, points, kind="earn", card=None, months_ago=0, **values):
        """Post ``points`` (issued when positive, used when negative) dated
        ``months_ago`` months back."""
        card = card or self._card()
        entry = self.env["loyalty.card"]._logistics_post(
            [
                {
                    "card_id": card.id,
                    "logistics_kind": kind,
                    "issued": max(points, 0),
                    "used": max(-points, 0),
                    "description": f"{kind} {points}",
                    **values,
                }
            ]
        )
        if months_ago:
            entry.sudo().write({"logistics_date": fields.Datetime.now() - relativedelta(months=months_ago)})
        return entry

    def assertBalanced(self, card=None):
        card = card or self._card()
        self.env.invalidate_all()
        ledger = self.env["loyalty.history"].search([("card_id", "=", card.id)])
        self.assertAlmostEqual(card.points, sum(ledger.mapped("issued")) - sum(ledger.mapped("used")))
        self.assertFalse(self.env["loyalty.card"]._logistics_check_ledger(), "the nightly check finds nothing")

    def _quotation(self, amount, contact=None, user=None, qty=1):
        Order = self.env["sale.order"].with_user(user) if user else self.env["sale.order"]
        return Order.create(
            {
                "partner_id": (contact or self.contact).id,
                "order_line": [
                    Command.create(
                        {"product_id": self.goods.id, "product_uom_qty": qty, "price_unit": amount, "tax_id": []}
                    )
                ],
            }
        )

    def _redeem(self, order):
        """Apply the freight discount as the salesperson's reward button
        does: the card is offered, its reward claimed."""
        order._update_programs_and_rewards()
        card = self._card()
        claimable = order._get_claimable_rewards()
        self.assertIn(self.reward, claimable.get(card, self.env["loyalty.reward"]))
        order._apply_program_reward(self.reward, card)
        return order.order_line.filtered("is_reward_line")


class TestLoyaltyRedemption(LoyaltyCase):
    def test_redeem_within_balance(self):
        self._post(1000)
        order = self._quotation(500.0)
        line = self._redeem(order)
        # the balance pays at most 100.0 (1000 points), below half the order
        self.assertRecordValues(line, [{"price_unit": -100.0, "points_cost": 1000}])
        order.action_confirm()
        card = self._card()
        self.assertEqual(card.points, 0)
        redeemed = self.env["loyalty.history"].search([("card_id", "=", card.id), ("logistics_kind", "=", "redeem")])
        self.assertRecordValues(redeemed, [{"used": 1000, "issued": 0, "order_id": order.id}])
        self.assertBalanced()

    def test_redeem_share_of_order(self):
        self._post(5000)
        order = self._quotation(120.0)
        line = self._redeem(order)
        # half of 120.0: 60.0, 600 points
        self.assertRecordValues(line, [{"price_unit": -60.0, "points_cost": 600}])
        self.company.logistics_loyalty_redeem_share = 25.0
        order._update_programs_and_rewards()
        self.assertRecordValues(
            order.order_line.filtered("is_reward_line"), [{"price_unit": -30.0, "points_cost": 300}]
        )
        order.action_confirm()
        self.assertEqual(self._card().points, 4700)
        self.assertBalanced()

    def test_below_minimum_not_claimable(self):
        self._post(99)
        order = self._quotation(500.0)
        order._update_programs_and_rewards()
        self.assertFalse(order._get_claimable_rewards().get(self._card()))

    def test_cancel_gives_back(self):
        self._post(1000)
        order = self._quotation(500.0)
        self._redeem(order)
        order.action_confirm()
        self.assertEqual(self._card().points, 0)
        order._action_cancel()
        card = self._card()
        self.assertEqual(card.points, 1000)
        entries = self.env["loyalty.history"].search(
            [("card_id", "=", card.id), ("logistics_kind", "=", "redeem")], order="id"
        )
        self.assertEqual(entries.mapped(lambda e: (e.issued, e.used)), [(0, 1000), (1000, 0)], "both kept")
        self.assertBalanced()
        # confirmed again and cancelled again: once each time
        order.action_draft()
        self._redeem(order)
        order.action_confirm()
        self.assertEqual(self._card().points, 0)
        order._action_cancel()
        self.assertEqual(self._card().points, 1000)
        self.assertBalanced()

    def test_balance_spent_by_another_order(self):
        self._post(1000)
        first, second = self._quotation(500.0), self._quotation(500.0)
        self._redeem(first)
        self._redeem(second)
        first.action_confirm()
        with self.assertRaises(ValidationError):
            second.action_confirm()
        self.assertEqual(self._card().points, 0)
        self.assertBalanced()

    def test_forged_discount_refused(self):
        """A reward line worth more than its points, or than the share of the
        order, is refused on confirmation, whoever forged it."""
        self._post(1000)
        order = self._quotation(500.0)
        line = self._redeem(order)
        line.write({"points_cost": 100})  # 100 points for 100.0
        with self.assertRaises(ValidationError):
            order._logistics_redeem([{"card_id": self._card().id, "used": 100, "order_id": order.id}])
        self.assertEqual(self._card().points, 1000)

    def test_other_customer_card_dropped(self):
        """A quotation whose customer changes after the reward was applied
        redeems nothing of the first customer's points."""
        self._post(1000)
        _other, other_contact = self._create_shipper("Other Buyer")
        order = self._quotation(500.0)
        self._redeem(order)
        order.partner_id = other_contact
        order._update_programs_and_rewards()
        self.assertFalse(order.order_line.filtered("is_reward_line"))
        self.assertNotIn(self._card(), order.applied_coupon_ids)
        order.action_confirm()
        self.assertEqual(self._card().points, 1000)
        # even a forged line of another customer's card is refused
        order = self._quotation(500.0, contact=other_contact)
        with self.assertRaises(ValidationError):
            order._logistics_redeem([{"card_id": self._card().id, "used": 100, "order_id": order.id}])
        self.assertBalanced()

    def test_confirmed_redemption_frozen(self):
        self._post(1000)
        order = self._quotation(500.0)
        line = self._redeem(order)
        order.action_confirm()
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            line.write({"points_cost": 1})
        self.assertEqual(self._card().points, 0)
        self.assertBalanced()

    def test_card_points_not_writable(self):
        card = self._card()
        salesman = self.env["res.users"].browse(self.user_salesman.id)
        salesman.groups_id = [Command.link(self.env.ref("sales_team.group_sale_manager").id)]
        with self.assertRaises(AccessError):
            card.with_user(salesman).write({"points": 1_000_000})
        self.assertEqual(card.points, 0)


class TestLoyaltyAsUsers(LoyaltyCase):
    """The whole cycle as the people who do it: a salesperson (Sales only)
    quotes, redeems and cancels; a warehouse user (Inventory only) validates
    the delivery and its return."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_stock = new_test_user(cls.env, "lcrm_stock", groups="stock.group_stock_user", **company_values)

    def test_cycle(self):
        self._post(2000)
        order = self._quotation(1000.0, user=self.user_salesman, qty=2)
        order = order.with_user(self.user_salesman)
        order._update_programs_and_rewards()
        card = self._card().with_user(self.user_salesman)
        self.assertIn(card, order.applied_coupon_ids)
        order._apply_program_reward(self.reward.with_user(self.user_salesman), card)
        line = order.order_line.filtered("is_reward_line")
        self.assertRecordValues(line, [{"price_unit": -200.0, "points_cost": 2000}])
        # the salesperson cannot take points by hand, nor read the ledger
        with self.assertRaises(AccessError):
            card.write({"points": 5000})
        with self.assertRaises(AccessError):
            self.env["loyalty.history"].with_user(self.user_salesman).create(
                {"card_id": card.id, "logistics_kind": "adjust", "issued": 5, "description": "x"}
            )
        order.action_confirm()
        self.assertEqual(self._card().points, 0)
        order.with_user(self.user_salesman)._action_cancel()
        self.assertEqual(self._card().points, 2000)
        self.assertBalanced()
        # a new order, delivered and partly returned by the warehouse
        order = self._quotation(100.0, user=self.user_salesman, qty=3)
        order.with_user(self.user_salesman).action_confirm()
        picking = order.picking_ids.with_user(self.user_stock)
        self._validate(picking)
        self.assertEqual(self._card().points, 2030)
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.user_stock)
            .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].with_user(self.user_stock).browse(wizard.action_create_returns()["res_id"])
        self._validate(returned)
        self.assertEqual(self._card().points, 2020)
        self.assertBalanced()


class TestLoyaltyReturns(LoyaltyCase):
    def _return(self, picking, qty):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = qty
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self._validate(returned)
        return returned

    def _delivered(self, qty, price=100.0):
        order = self._quotation(price, qty=qty)
        order.action_confirm()
        return self._validate(order.picking_ids)

    def test_return_reverses_in_proportion(self):
        picking = self._delivered(4)  # 400.0: 40 points
        self.assertEqual(self._card().points, 40)
        returned = self._return(picking, 1)
        reversal = self.env["loyalty.history"].search([("logistics_kind", "=", "reverse")])
        self.assertRecordValues(reversal, [{"logistics_picking_id": returned.id, "used": 10, "logistics_shortfall": 0}])
        self.assertEqual(self._card().points, 30)
        # a retry of the same return reverses nothing more
        self.assertFalse(self.env["loyalty.history"]._logistics_reverse_for_returns(returned))
        # the rest comes back: never more than earned
        self._return(picking, 3)
        self.assertEqual(self._card().points, 0)
        self.assertBalanced()

    def test_return_never_below_zero(self):
        picking = self._delivered(4)  # 40 points
        self._post(-35, kind="adjust")
        returned = self._return(picking, 4)
        reversal = self.env["loyalty.history"].search([("logistics_picking_id", "=", returned.id)])
        self.assertRecordValues(reversal, [{"used": 5, "logistics_shortfall": 35}])
        self.assertEqual(self._card().points, 0)
        self.assertBalanced()


class TestLoyaltyExpiry(LoyaltyCase):
    def _expired(self):
        return self.env["loyalty.history"].search(
            [("card_id", "=", self._card().id), ("logistics_kind", "=", "expire")]
        )

    def test_fifo_with_redemption_and_reversal(self):
        History = self.env["loyalty.history"]
        self._post(100, months_ago=30)  # oldest
        self._post(200, months_ago=25)
        self._post(300, months_ago=10)
        self._post(-150, kind="redeem", months_ago=20)  # takes the 100 and 50 of the 200
        self._post(-30, kind="reverse", months_ago=5)  # 30 more of the 200
        # points expiring: of the 300 credited over 24 months ago, 180 were consumed
        self.assertEqual(History._logistics_expiring_points(self._card()), {self._card().id: 120})
        History._logistics_expire()
        self.assertEqual(self._expired().used, 120)
        self.assertEqual(self._card().points, 300)
        # a rerun expires nothing, ever twice
        self.assertFalse(History._logistics_expire())
        self.assertEqual(len(self._expired()), 1)
        self.assertBalanced()

    def test_cancelled_redemption_restores_old_points(self):
        """Points given back by a cancelled order are the old points they
        were: they expire at their own date, not later."""
        History = self.env["loyalty.history"]
        self._post(100, months_ago=25)
        self._post(-100, kind="redeem", months_ago=1)
        self._post(100, kind="redeem")  # given back
        History._logistics_expire()
        self.assertEqual(self._expired().used, 100)
        self.assertEqual(self._card().points, 0)
        self.assertBalanced()

    def test_expiring_soon_and_settings(self):
        History = self.env["loyalty.history"]
        card = self._card()
        entry = self._post(70)
        entry.sudo().logistics_date = fields.Datetime.now() - relativedelta(months=24) + relativedelta(days=10)
        self._post(50, months_ago=13)
        self.assertEqual(History._logistics_expiring_points(card), {card.id: 70}, "within 30 days")
        self.assertEqual(self.customer.with_user(self.user_specialist).logistics_loyalty_expiring_points, 70)
        self.assertFalse(History._logistics_expire(), "not yet")
        self.company.logistics_loyalty_expiring_days = 5
        self.assertEqual(History._logistics_expiring_points(card), {})
        self.company.logistics_loyalty_expiry_months = 0
        self.company.logistics_loyalty_expiring_days = 30
        self.assertEqual(History._logistics_expiring_points(card), {}, "never expire")
        self.company.logistics_loyalty_expiry_months = 12
        History._logistics_expire()
        self.assertEqual(self._card().points, 0, "both are over 12 months old")
        self.assertBalanced()


class TestLoyaltyTierRecompute(LoyaltyCase):
    def test_thresholds_both_sides_and_chatter(self):
        Card = self.env["loyalty.card"]
        silver = self.env.ref("logistics_crm.loyalty_tier_silver")
        gold = self.env.ref("logistics_crm.loyalty_tier_gold")
        platinum = self.env.ref("logistics_crm.loyalty_tier_platinum")
        card = self._card()
        self._post(9999, months_ago=2)
        Card._logistics_recompute_tiers()
        self.assertEqual((card.logistics_tier_id, card.logistics_points_12m), (silver, 9999))
        self._post(1, months_ago=1)
        self.assertEqual(card._logistics_recompute_tiers(), card)
        self.assertEqual(card.logistics_tier_id, gold)
        self.assertEqual(self.customer.with_user(self.user_specialist).logistics_loyalty_tier_id, gold)
        self.assertIn(
            self.customer,
            self.env["res.partner"]
            .with_user(self.user_specialist)
            .search([("logistics_loyalty_tier_id", "=", gold.id)]),
        )
        self.assertIn("Gold", self.customer.message_ids[:1].body)
        # points earned over twelve months ago do not count
        self._post(50000, months_ago=13)
        card._logistics_recompute_tiers()
        self.assertEqual(card.logistics_tier_id, gold)
        self._post(40000, months_ago=1)
        card._logistics_recompute_tiers()
        self.assertEqual(card.logistics_tier_id, platinum)
        # a reversal takes the customer back below the threshold
        self._post(-1, kind="reverse")
        card._logistics_recompute_tiers()
        self.assertEqual((card.logistics_tier_id, card.logistics_points_12m), (gold, 49999))
        self.assertFalse(Card._logistics_recompute_tiers(), "a rerun changes nothing")

    def test_multiplier_each_side_of_thresholds(self):
        """A delivery of 1,000.0 earns 100 points x the multiplier of the tier
        the customer is in when it is validated."""
        expected = ((9999, 100), (1, 120), (39999, 120), (1, 150))
        for earned_before, points in expected:
            with self.subTest(earned_before=earned_before):
                self._post(earned_before, months_ago=1)
                before = self._card().points
                order = self._quotation(1000.0)
                order.action_confirm()
                self._validate(order.picking_ids)
                self.assertEqual(self._card().points - before, points)
                # what the delivery earned counts too: take it back out of the 12 months
                self.env["loyalty.history"].search(
                    [("logistics_picking_id", "in", order.picking_ids.ids)]
                ).sudo().write({"logistics_date": fields.Datetime.now() - relativedelta(months=13)})
        self.assertBalanced()

    def test_earning_moves_tier_and_mails(self):
        self.company.logistics_loyalty_tier_mail = True
        self._post(9990, months_ago=1)
        self._card()._logistics_recompute_tiers()
        order = self._quotation(100.0)
        order.action_confirm()
        self._validate(order.picking_ids)  # 10 points: Gold
        self.assertEqual(self._card().logistics_tier_id, self.env.ref("logistics_crm.loyalty_tier_gold"))
        mail = self.env["mail.mail"].search([("model", "=", "loyalty.card"), ("res_id", "=", self._card().id)])
        self.assertEqual(len(mail), 1)
        self.assertIn("Gold", mail.subject)

    def test_recompute_queries_do_not_grow(self):
        Card = self.env["loyalty.card"]
        customers = [self._create_shipper(f"Tiered {i}")[0] for i in range(12)]
        cards = Card.browse([self._card(c).id for c in customers])
        for index, card in enumerate(cards):
            self._post(5000 + index, card=card, months_ago=1)
        cards._logistics_recompute_tiers()  # from none to Silver: nothing to log
        for card in cards:
            self._post(5000, card=card, months_ago=1)  # Gold, all of them
        self.env.flush_all()
        self.env.invalidate_all()
        # the same queries for 3 cards as for 9, all changing tier
        with self.assertQueryCount(QUERIES_TIER_RECOMPUTE):
            self.assertEqual(len(cards[:3]._logistics_recompute_tiers()), 3)
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES_TIER_RECOMPUTE):
            self.assertEqual(len(cards[3:]._logistics_recompute_tiers()), 9)


class TestLoyaltyMerge(LoyaltyCase):
    def test_merge_folds_cards(self):
        """Merging two customers with a card each in one company keeps one
        card holding both ledgers and balances (Odoo would delete the second
        card, and its ledger with it)."""
        other, _contact = self._create_shipper("Duplicate Shipper")
        self._post(300, months_ago=3)
        self._post(200, card=self._card(other), months_ago=2)
        other_b_card = self.env["loyalty.card"]._logistics_cards(other, self.company_b)[other.id]
        self._post(50, card=other_b_card)
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(self.customer | other).ids)
            .create({"dst_partner_id": self.customer.id})
        )
        wizard.action_merge()
        self.assertFalse(other.exists())
        cards = self.env["loyalty.card"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(cards), 2, "one card per company")
        card = cards.filtered(lambda c: c.logistics_company_id == self.company)
        self.assertEqual(card.points, 500)
        self.assertEqual(card.logistics_points_12m, 500, "both earnings count for the tier")
        self.assertEqual(len(self.env["loyalty.history"].search([("card_id", "=", card.id)])), 2)
        self.assertEqual(cards.filtered(lambda c: c.logistics_company_id == self.company_b).points, 50)
        self.assertBalanced(card)


class TestLoyaltyIntegrity(LoyaltyCase):
    def test_check_reports_a_tampered_card(self):
        card = self._card()
        self._post(100)
        self.assertFalse(self.env["loyalty.card"]._logistics_check_ledger())
        self.env.cr.execute("UPDATE loyalty_card SET points = 1000 WHERE id = %s", (card.id,))
        with mute_logger("odoo.addons.logistics_crm.models.loyalty_card"):
            found = self.env["loyalty.card"]._logistics_check_ledger()
        self.assertEqual(found, card)
        self.assertIn("ledger adds up to 100", card.message_ids[:1].body)


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


class TestLoyaltyLedgerConcurrency(BaseCase):  # commits on real cursors, cleaned up at the end
    """Two transactions on one card at the same time, on real cursors
    (committed data, removed afterwards): redemptions never overdraw it,
    earnings never lose points."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.created = {}
        self.addCleanup(self._clean)

    def _clean(self):
        ids = self.created
        with self.registry.cursor() as cr:
            for table, column, key in (
                ("loyalty_history", "card_id", "card"),
                ("stock_valuation_layer", "product_id", "product"),
                ("stock_move_line", "picking_id", "pickings"),
                ("stock_move", "picking_id", "pickings"),
                ("stock_picking", "id", "pickings"),
                ("sale_order_line", "order_id", "orders"),
                ("sale_order", "id", "orders"),
                ("loyalty_card", "id", "card"),
                ("stock_quant", "product_id", "product"),
                ("product_product", "id", "product"),
                ("product_template", "id", "template"),
                ("res_partner", "id", "partners"),
            ):
                if ids.get(key):
                    cr.execute(f"DELETE FROM {table} WHERE {column} IN %s", (tuple(ids[key]),))

    def _fixture(self, product_type, orders=2):
        """A customer with a card of 1000 points, a product and ``orders``
        confirmed or quoted orders of 500.0, committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            company.logistics_survey_enabled = False
            customer = env["res.partner"].create({"name": "Concurrent Shipper", "is_company": True})
            product = env["product.product"].create(
                {"name": "Concurrent Freight", "type": product_type, "list_price": 500.0, "taxes_id": []}
            )
            card = env["loyalty.card"]._logistics_cards(customer, company)[customer.id]
            env["loyalty.card"]._logistics_post(
                [{"card_id": card.id, "logistics_kind": "adjust", "issued": 1000, "description": "opening"}]
            )
            order_list = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [Command.create({"product_id": product.id, "tax_id": []})],
                    }
                    for _i in range(orders)
                ]
            )
            self.created.update(
                card=card.ids,
                orders=order_list.ids,
                product=product.ids,
                template=product.product_tmpl_id.ids,
                partners=customer.ids,
            )
            cr.commit()  # pylint: disable=invalid-commit
            return company.id, card.id, order_list.ids

    def _race(self, first_step, second_step):
        """Run ``first_step`` and ``second_step`` (each given an env) in two
        transactions: the second starts before the first commits and runs
        its step while the first holds its locks. A serialization failure
        of the second is retried, as Odoo retries a request. Returns
        {'first': result, 'second': result or the error, 'retried': bool}."""
        first_done = threading.Event()
        results = {}

        def first():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                results["first"] = first_step(env)
                first_done.set()
                time.sleep(0.5)  # the second one waits on the card's lock meanwhile
                cr.commit()  # pylint: disable=invalid-commit

        def second():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env.cr.execute("SELECT 1")  # its snapshot predates the first one's commit
                first_done.wait(10)
                for _attempt in range(2):
                    try:
                        with cr.savepoint():
                            results["second"] = second_step(env)
                        cr.commit()  # pylint: disable=invalid-commit
                        break
                    except psycopg2.errors.SerializationFailure:
                        results["retried"] = True
                        cr.rollback()
                        env.invalidate_all()
                    except (ValidationError, UserError) as error:
                        results["second"] = error
                        cr.rollback()
                        break

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        return results

    def _ledger(self, card_id):
        with self.registry.cursor() as cr:
            cr.execute("SELECT points FROM loyalty_card WHERE id = %s", (card_id,))
            points = cr.fetchone()[0]
            cr.execute(
                "SELECT logistics_kind, SUM(issued), SUM(used) FROM loyalty_history WHERE card_id = %s "
                "GROUP BY logistics_kind",
                (card_id,),
            )
            return points, {kind: (issued, used) for kind, issued, used in cr.fetchall()}

    def test_two_redemptions_at_once(self):
        """Two orders redeem the card's 1000 points at the same time: one
        wins, the other, retried, sees the balance spent and gets a clear
        error; the card is never overdrawn."""
        _company_id, card_id, order_ids = self._fixture("service")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(card_id)
            for order in env["sale.order"].browse(order_ids):
                order._update_programs_and_rewards()
                order._apply_program_reward(card.program_id.reward_ids, card)
                self.assertEqual(order.order_line.filtered("is_reward_line").points_cost, 1000)
            cr.commit()  # pylint: disable=invalid-commit

        def confirm(index):
            return lambda env: env["sale.order"].browse(order_ids[index]).action_confirm()

        results = self._race(confirm(0), confirm(1))
        self.assertTrue(results.get("retried"), results)
        self.assertIsInstance(results.get("second"), ValidationError, results)
        points, ledger = self._ledger(card_id)
        self.assertEqual(points, 0)
        self.assertEqual(ledger["redeem"], (0, 1000), "redeemed once")
        self.assertEqual(ledger["adjust"][0] - ledger["redeem"][1], points, "the card is its ledger")

    def test_two_earnings_at_once(self):
        """Two deliveries of one customer validated at the same time: both
        earn, no point lost."""
        _company_id, card_id, order_ids = self._fixture("consu")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(order_ids)
            orders.action_confirm()
            self.created["pickings"] = orders.picking_ids.ids
            for move in orders.picking_ids.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            cr.commit()  # pylint: disable=invalid-commit
        pickings = self.created["pickings"]

        def validate(index):
            return lambda env: env["stock.picking"].browse(pickings[index]).button_validate()

        results = self._race(validate(0), validate(1))
        self.assertNotIsInstance(results.get("second"), Exception, results)
        points, ledger = self._ledger(card_id)
        self.assertEqual(ledger["earn"], (100, 0), "50 points a delivery, both")
        self.assertEqual(points, 1100)
