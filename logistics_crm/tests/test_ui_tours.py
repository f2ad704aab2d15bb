"""The screens in a real browser (Odoo tours in Chromium), as the users of
each role. A tour that cannot run (no browser, no websocket-client) fails
here: Odoo itself would report it as skipped."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import ADMIN, SPECIALIST, SUPERVISOR, LogisticsTourCase


@tagged("post_install", "-at_install")
class TestUiTours(LogisticsTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.specialist = new_test_user(
            cls.env, "tour_specialist", groups=f"{SPECIALIST},base.group_partner_manager", password="tour_specialist"
        )
        cls.supervisor = new_test_user(
            cls.env, "tour_supervisor", groups=f"{SUPERVISOR},base.group_partner_manager", password="tour_supervisor"
        )
        cls.admin = new_test_user(
            cls.env, "tour_admin", groups=f"{ADMIN},base.group_partner_manager", password="tour_admin"
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Shipper",
                "is_company": True,
                "company_id": cls.env.company.id,
                "logistics_customer_type": "enterprise",
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Line haul", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 20000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        ).action_confirm()

    def setUp(self):
        super().setUp()
        self.assertEqual(self.customer.logistics_grade, "C")

    def _customer_url(self):
        action = self.env.ref("logistics_crm.res_partner_action_logistics_customers")
        return f"/odoo/action-{action.id}/{self.customer.id}"

    def test_specialist_classifies_and_recomputes_tour(self):
        self.start_tour(self._customer_url(), "logistics_crm_specialist_tour", login="tour_specialist")
        self.assertRecordValues(
            self.customer,
            [
                {
                    "logistics_customer_type": "government",
                    "logistics_government_level": "provincial",
                    "logistics_size": "provincial",
                    "logistics_region_tier": "tier_2",
                    "logistics_grade": "C",
                }
            ],
        )

    def test_supervisor_overrides_with_a_reason_tour(self):
        self.start_tour(self._customer_url(), "logistics_crm_supervisor_override_tour", login="tour_supervisor")
        self.assertRecordValues(
            self.customer,
            [{"logistics_grade": "C", "logistics_grade_override": False, "logistics_grade_override_reason": False}],
        )
        history = self.env["logistics.grade.history"].search([("partner_id", "=", self.customer.id)], order="id")
        self.assertEqual(history.mapped("new_grade"), ["C", "A", "C"])
        self.assertEqual(history[1].reason, "Manual override: Framework contract signed")

    def test_admin_edits_a_rule_and_customers_are_regraded_tour(self):
        rule_c = self.env.ref("logistics_crm.grade_rule_c")
        action = self.env.ref("logistics_crm.logistics_grade_rule_action")
        self.start_tour(f"/odoo/action-{action.id}/{rule_c.id}", "logistics_crm_admin_rule_tour", login="tour_admin")
        self.assertEqual(rule_c.min_annual_spend, 30000.0)
        # 20,000 of orders and one order a year: below the new C threshold
        self.assertEqual(self.customer.logistics_grade, "D")
        last = self.env["logistics.grade.history"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertRecordValues(last, [{"old_grade": "C", "new_grade": "D", "user_id": self.admin.id}])

    def test_customer_screen_in_chinese_tour(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        modules = self.env["ir.module.module"].search([("state", "=", "installed")])
        modules._update_translations(["zh_CN"])
        self.specialist.lang = "zh_CN"
        self.start_tour(self._customer_url(), "logistics_crm_chinese_tour", login="tour_specialist")
        self.assertEqual(self.customer.logistics_grade, "C")
