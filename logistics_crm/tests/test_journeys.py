"""Customer journeys: the welcome of a new customer, exactly once."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .common import LogisticsCrmCommon


class TestWelcome(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(
            "Newcomer Freight", email="ops@newcomer.example.com", user_id=cls.user_salesman.id
        )
        cls.template = cls.env.ref("logistics_crm.mail_template_customer_welcome")

    def _welcome_mails(self, customer=None):
        customer = customer or self.customer
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", customer.ids), ("subject", "like", self.company.name)]
        )

    def _onboarding(self, customer=None):
        customer = customer or self.customer
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("summary", "=", "Onboard the new customer"),
            ]
        )

    def test_first_order_welcomes_once(self):
        first = self._create_orders(self.customer, [1000.0], user=self.user_salesman)
        self.assertTrue(self.customer.sudo().logistics_welcomed_date)
        mail = self._welcome_mails()
        self.assertEqual(len(mail), 1)
        self.assertIn(self.user_salesman.name, mail.body_html)
        self.assertIn(first.name, mail.body_html)
        activity = self._onboarding()
        self.assertEqual(activity.user_id, self.user_salesman)
        # more orders, a cancellation and a re-confirmation: no second welcome
        self._create_orders(self.customer, [500.0, 700.0])
        first._action_cancel()
        first.action_draft()
        first.action_confirm()
        self.assertEqual(len(self._welcome_mails()), 1)
        self.assertEqual(len(self._onboarding()), 1)

    def test_service_level_named(self):
        self.customer.with_user(self.user_supervisor).write(
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Strategic"}
        )
        self._create_orders(self.customer, [1000.0], user=self.user_salesman)
        level = self.env.ref("logistics_crm.service_level_a")
        self.assertIn(level.name, self._welcome_mails().body_html)

    def test_existing_customer_not_welcomed(self):
        """A customer that had confirmed orders before is no new customer."""
        veteran = self._create_customer("Veteran Shipper", email="ops@veteran.example.com")
        self._create_orders(veteran, [100.0])
        veteran._logistics_system_writer().write({"logistics_welcomed_date": False})
        self._create_orders(veteran, [200.0])
        self.assertFalse(veteran.sudo().logistics_welcomed_date)

    def test_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._get("logistics_crm")._update_translations(["zh_CN"], overwrite=True)
        chinese = self._create_customer("华南货运", email="ops@huanan.example.com", lang="zh_CN")
        self._create_orders(chinese, [100.0])
        mail = self._welcome_mails(chinese) or self.env["mail.mail"].search([("recipient_ids", "in", chinese.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn("欢迎", mail.subject)

    def test_not_writable(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_manager).write({"logistics_welcomed_date": "2020-01-01 00:00:00"})


class TestWinback(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_survey_id = cls.env.ref("logistics_crm.survey_delivery_satisfaction")
        cls.now = fields.Datetime.now()
        cls.customers = {}
        for grade in ("A", "B", "C"):
            customer = cls._create_customer(
                f"Drifting {grade}", email=f"ops.{grade.lower()}@drifting.example.com", user_id=cls.user_salesman.id
            )
            orders = cls._create_orders(customer, [100.0, 100.0, 100.0])
            # ordered every ten days, silent for eighty
            for order, days in zip(orders, (100, 90, 80), strict=True):
                cls.env.cr.execute(
                    SQL("UPDATE sale_order SET date_order = %s WHERE id = %s", cls.now - timedelta(days=days), order.id)
                )
            customer.with_user(cls.user_supervisor).write(
                {"logistics_grade_override": grade, "logistics_grade_override_reason": "Win-back test"}
            )
            cls.customers[grade] = customer
        cls.env.invalidate_all()

    def _winbacks(self):
        return self.env["logistics.winback"].search([("partner_id", "in", [c.id for c in self.customers.values()])])

    def test_action_by_grade_once_per_episode(self):
        Partner = self.env["res.partner"]
        Partner._logistics_compute_customer_value(self.company)
        winbacks = self._winbacks()
        self.assertEqual(
            {(w.partner_id.name, w.action, w.done, w.points) for w in winbacks},
            {
                ("Drifting A", "call", True, 0),
                ("Drifting B", "points", True, 300),
                ("Drifting C", "survey", True, 0),
            },
        )
        call = (
            self.env["mail.activity"]
            .search([("res_model", "=", "res.partner"), ("res_id", "=", self.customers["A"].id)])
            .filtered(lambda activity: activity.activity_type_id == self.env.ref("mail.mail_activity_data_call"))
        )
        self.assertEqual(call.user_id, self.user_salesman)
        card = self.customers["B"].with_user(self.user_specialist).logistics_loyalty_card_id.sudo()
        self.assertEqual(card.points, 300)
        entry = self.env["loyalty.history"].search([("card_id", "=", card.id)])
        self.assertRecordValues(entry, [{"logistics_kind": "adjust", "issued": 300}])
        survey = self.env["logistics.survey"].search([("partner_id", "=", self.customers["C"].id)])
        self.assertEqual(survey.state, "sent")
        # the next night: still at risk, nothing done twice
        Partner._logistics_compute_customer_value(self.company)
        self.assertEqual(len(self._winbacks()), 3)
        self.assertEqual(card.points, 300)

    def test_reactivation_rate(self):
        Partner = self.env["res.partner"]
        Partner._logistics_compute_customer_value(self.company)
        self._create_orders(self.customers["B"], [250.0])
        self.env["logistics.winback"]._cron_reactivation()
        rates = dict(
            self.env["logistics.winback"]
            .with_user(self.user_manager)
            ._read_group(
                [("id", "in", self._winbacks().ids)],
                ["action"],
                ["reactivated_rate:avg"],
            )
        )
        self.assertEqual(rates, {"call": 0.0, "points": 100.0, "survey": 0.0})
        back = self._winbacks().filtered(lambda w: w.action == "points")
        self.assertTrue(back.reactivated_date)
        # an order after the 90 days is no return
        late = self._winbacks().filtered(lambda w: w.action == "call")
        self.env.cr.execute(
            SQL("UPDATE logistics_winback SET date = %s WHERE id = %s", self.now - timedelta(days=120), late.id)
        )
        self._create_orders(self.customers["A"], [250.0])
        self.env["logistics.winback"]._cron_reactivation()
        late.invalidate_recordset()
        self.assertFalse(late.reactivated_date)

    def test_points_need_a_number(self):
        level = self.env.ref("logistics_crm.service_level_c")
        with self.assertRaises(ValidationError):
            level.write({"winback_action": "points", "winback_points": 0})
