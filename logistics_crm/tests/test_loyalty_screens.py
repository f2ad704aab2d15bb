"""The loyalty programme as its users reach it: the manager's adjustment,
compensation points from complaints, the screens (cards, ledger, partner,
sale order, settings) as rendered for each role."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestLoyaltyAdjust(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Adjusted Shipper")
        cls.card = cls.env["loyalty.card"]._logistics_cards(cls.customer, cls.company)[cls.customer.id]
        cls.env["loyalty.card"]._logistics_post(
            [{"card_id": cls.card.id, "logistics_kind": "earn", "issued": 100, "description": "earned"}]
        )

    def _wizard(self, user, points, reason="Goodwill after the audit"):
        return (
            self.env["logistics.loyalty.adjust"]
            .with_user(user)
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"points": points, "reason": reason})
        )

    def _entries(self):
        return self.env["loyalty.history"].search([("card_id", "=", self.card.id), ("logistics_kind", "=", "adjust")])

    def assertBalanced(self):
        self.env.invalidate_all()
        ledger = self.env["loyalty.history"].search([("card_id", "=", self.card.id)])
        self.assertEqual(self.card.points, sum(ledger.mapped("issued")) - sum(ledger.mapped("used")))

    def test_roles(self):
        for user in (self.user_specialist, self.user_supervisor, self.user_salesman):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._wizard(user, 50).action_apply()
        self.assertFalse(self._entries())
        wizard = self._wizard(self.user_manager, 50)
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.balance, 100)
        wizard.action_apply()
        self.assertRecordValues(self._entries(), [{"issued": 50, "used": 0}])
        self.assertIn("Goodwill after the audit", self._entries().description)
        self.assertEqual(self.card.points, 150)
        # a second click on the same wizard posts nothing more
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(len(self._entries()), 1)
        self.assertBalanced()

    def test_bad_input(self):
        for points, reason in ((-101, "Too much"), (0, "Nothing"), (10, " \u200b "), (10, "x" * 501)):
            with self.subTest(points=points, reason=reason[:10]), self.assertRaises(ValidationError):
                self._wizard(self.user_manager, points, reason).action_apply()
        self.assertFalse(self._entries())
        self._wizard(self.user_admin, -100, "Points granted by mistake").action_apply()
        self.assertEqual(self.card.points, 0)
        self.assertBalanced()


@tagged("post_install", "-at_install")
class TestLoyaltyCompensation(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Compensated Shipper")
        cls.cause = cls.env.ref("logistics_crm.complaint_cause_service_quality")
        cls.company.logistics_compensation_fixed_limit = 100.0

    def _complaint(self, amount, kind="loyalty_points"):
        return (
            self.env["logistics.complaint"]
            .with_user(self.user_supervisor)
            .create({"partner_id": self.customer.id, "compensation_amount": amount, "compensation_kind": kind})
        )

    def _resolve(self, complaint):
        complaint.action_acknowledge()
        complaint.action_start()
        complaint.write({"cause_id": self.cause.id, "liable_party": "company", "corrective_action": "Redelivered"})
        complaint.action_resolve()

    def _points(self):
        self.env.invalidate_all()
        return self.customer.with_user(self.user_specialist).logistics_loyalty_points

    def test_granted_once(self):
        complaint = self._complaint(25.0)
        self.assertEqual(complaint.compensation_state, "granted")
        self._resolve(complaint)
        self.assertEqual(self._points(), 250, "25.0 at 0.1 a point")
        entry = self.env["loyalty.history"].search([("logistics_complaint_id", "=", complaint.id)])
        self.assertEqual(entry.logistics_kind, "compensation")
        complaint.action_reopen()
        complaint.action_resolve()
        self.assertEqual(self._points(), 250, "once per complaint")
        self.assertEqual(len(self.env["loyalty.history"].search([("logistics_complaint_id", "=", complaint.id)])), 1)

    def test_approval(self):
        complaint = self._complaint(300.0)
        self.assertEqual(complaint.compensation_state, "to_approve")
        complaint.action_acknowledge()
        complaint.action_start()
        complaint.write({"cause_id": self.cause.id, "liable_party": "company", "corrective_action": "Redelivered"})
        with self.assertRaises(UserError):
            complaint.action_resolve()
        self.assertEqual(self._points(), 0)
        complaint.with_user(self.user_manager).action_approve_compensation()
        complaint.action_resolve()
        self.assertEqual(self._points(), 3000)
        refused = self._complaint(400.0)
        refused.with_user(self.user_manager).action_refuse_compensation()
        self._resolve(refused)
        self.assertEqual(self._points(), 3000, "refused: nothing")

    def test_other_kinds(self):
        self._resolve(self._complaint(25.0, kind="refund"))
        self.assertEqual(self._points(), 0)


@tagged("post_install", "-at_install")
class TestLoyaltyScreens(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Screened Shipper")
        cls.card = cls.env["loyalty.card"]._logistics_cards(cls.customer, cls.company)[cls.customer.id]
        cls.env["loyalty.card"]._logistics_post(
            [{"card_id": cls.card.id, "logistics_kind": "earn", "issued": 12000, "description": "earned"}]
        )
        cls.card._logistics_recompute_tiers()

    def test_partner_form_and_ledger(self):
        partner = self.customer.with_user(self.user_specialist)
        self.assertEqual(partner.logistics_loyalty_tier_id, self.env.ref("logistics_crm.loyalty_tier_gold"))
        form = Form(partner)
        self.assertEqual(form.logistics_loyalty_points, 12000)
        action = partner.action_logistics_view_loyalty_ledger()
        entries = self.env["loyalty.history"].with_user(self.user_specialist).search(action["domain"])
        self.assertEqual(entries.mapped("issued"), [12000])
        self.assertEqual(entries.logistics_partner_id, self.customer)
        for xmlid in ("loyalty_card_action_logistics", "loyalty_history_action_logistics"):
            action = (
                self.env["ir.actions.act_window"].with_user(self.user_specialist)._for_xml_id(f"logistics_crm.{xmlid}")
            )
            domain = safe_eval(action["domain"])
            records = self.env[action["res_model"]].with_user(self.user_specialist).search(domain)
            self.assertTrue(records, xmlid)

    def test_sale_order_tier(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": self.product.id})]}
        )
        self.assertEqual(
            order.with_user(self.user_specialist).logistics_loyalty_tier_id,
            self.env.ref("logistics_crm.loyalty_tier_gold"),
        )

    def test_settings(self):
        admin = self._create_settings_user("lcrm_loyalty_settings")
        with Form(self.env["res.config.settings"].with_user(admin)) as settings:
            settings.logistics_loyalty_redeem_share = 40
            settings.logistics_loyalty_expiry_months = 18
        self.assertEqual(self.company.logistics_loyalty_redeem_share, 40)
        self.assertEqual(self.company.logistics_loyalty_expiry_months, 18)
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_manager).write({"logistics_loyalty_redeem_share": 90})
        with self.assertRaises(ValidationError):
            self.company.write({"logistics_loyalty_redeem_share": 120})
