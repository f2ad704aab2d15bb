"""The customer's grade, tier, CSAT and credit in sale orders and deliveries."""

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user

from .common import MANAGER
from .survey_common import LogisticsSurveyCommon


class TestSalesIntegration(LogisticsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_survey_enabled = False
        cls.key_account, cls.key_contact = cls._create_shipper("Priority Shipper")
        cls.key_account.with_user(cls.user_supervisor).write(
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Strategic"}
        )
        cls.small, cls.small_contact = cls._create_shipper("Small Shipper")
        cls.small.with_user(cls.user_supervisor).write(
            {"logistics_grade_override": "D", "logistics_grade_override_reason": "Small"}
        )
        cls.sales_manager = new_test_user(
            cls.env,
            "lcrm_sales_manager",
            groups=f"{MANAGER},sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
        )
        cls.sales_specialist = new_test_user(
            cls.env,
            "lcrm_sales_specialist",
            groups="logistics_crm.group_logistics_crm_specialist,sales_team.group_sale_salesman_all_leads,"
            "stock.group_stock_user",
            company_id=cls.company.id,
        )

    def _quotation(self, partner, user):
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": self.goods.id, "product_uom_qty": 1})]}
            )
        )

    def test_blocked_credit_by_role(self):
        self.small.with_user(self.user_supervisor).write({"logistics_credit_status": "blocked"})
        for user in (self.user_salesman, self.sales_specialist):
            order = self._quotation(self.small_contact, user)
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "blocked"):
                order.with_user(user).action_confirm()
            self.assertEqual(order.state, "draft")
        order = self._quotation(self.small_contact, self.sales_manager)
        order.with_user(self.sales_manager).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.message_ids.filtered(lambda message: "blocked" in (message.body or "")))
        # good credit: anyone confirms
        other = self._quotation(self.key_contact, self.user_salesman)
        other.with_user(self.user_salesman).action_confirm()
        self.assertEqual(other.state, "sale")

    def test_poor_credit_warning(self):
        self.small.with_user(self.user_supervisor).write({"logistics_credit_status": "poor"})
        order = self.env["sale.order"].with_user(self.user_salesman).new({"partner_id": self.small_contact.id})
        warning = order._onchange_partner_id_logistics_credit()
        self.assertIn("poor", warning["warning"]["message"])
        self.assertIsNone(
            self.env["sale.order"].new({"partner_id": self.key_contact.id})._onchange_partner_id_logistics_credit()
        )
        with Form(self.env["sale.order"].with_user(self.user_salesman)) as form:
            form.partner_id = self.small_contact  # the warning does not stop the salesperson

    def test_priority_and_stamped_deliveries(self):
        key_picking = self._order_delivery(self.key_contact)
        small_picking = self._order_delivery(self.small_contact)
        self.assertRecordValues(
            key_picking + small_picking,
            [
                {"priority": "1", "logistics_customer_grade": "A"},
                {"priority": "0", "logistics_customer_grade": "D"},
            ],
        )
        warehouse_user = new_test_user(
            self.env, "lcrm_warehouse", groups="stock.group_stock_user", company_id=self.company.id
        )
        Picking = self.env["stock.picking"].with_user(warehouse_user)
        self.assertEqual(
            Picking.search([("logistics_customer_grade", "=", "A")]) & (key_picking | small_picking), key_picking
        )
        groups = dict(
            Picking._read_group(
                [("id", "in", (key_picking | small_picking).ids)], ["logistics_customer_grade"], ["__count"]
            )
        )
        self.assertEqual(groups, {"A": 1, "D": 1})

    def test_orders_search_and_report_by_grade(self):
        key_order = self._quotation(self.key_contact, self.user_salesman)
        small_order = self._quotation(self.small_contact, self.user_salesman)
        Order = self.env["sale.order"].with_user(self.user_salesman)
        self.assertEqual(Order.search([("logistics_customer_grade", "=", "A")]) & (key_order | small_order), key_order)
        self.assertEqual(key_order.with_user(self.user_salesman).logistics_customer_grade, "A")
        self.env.flush_all()
        Report = self.env["sale.report"].with_user(self.sales_manager)
        grades = dict(
            Report._read_group(
                [("order_reference", "in", [f"sale.order,{key_order.id}", f"sale.order,{small_order.id}"])],
                ["logistics_customer_grade"],
                ["__count"],
            )
        )
        self.assertEqual(grades, {"A": 1, "D": 1})

    def test_order_shows_csat_and_open_complaints(self):
        self.env["res.partner"]._logistics_write_company_figures(
            self.company, {"logistics_csat": "float8"}, {self.key_account.id: (92.5,)}
        )
        self.env["logistics.complaint"].create({"partner_id": self.key_contact.id, "summary": "Late again"})
        order = self._quotation(self.key_contact, self.sales_specialist).with_user(self.sales_specialist)
        self.assertEqual(order.logistics_customer_csat, 92.5)
        self.assertEqual(order.logistics_customer_open_complaints, 1)
        picking = self._order_delivery(self.key_contact).with_user(self.sales_specialist)
        self.assertEqual(picking.logistics_customer_csat, 92.5)
        self.assertEqual(picking.logistics_customer_open_complaints, 1)
        self.assertEqual(self._order_delivery(self.small_contact).logistics_customer_csat, 0.0)
