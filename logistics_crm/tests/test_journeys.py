"""Customer journeys: the welcome of a new customer, exactly once."""

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
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_manager).write({"logistics_welcomed_date": "2020-01-01 00:00:00"})
