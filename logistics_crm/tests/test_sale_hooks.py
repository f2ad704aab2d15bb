"""Confirming and cancelling sale orders regrades their customers."""

from odoo.tests import tagged

from .common import LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestSaleHooks(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Hook Customer")
        cls.contact = cls.env["res.partner"].create({"name": "Hook Buyer", "parent_id": cls.customer.id})

    def _cancel(self, orders):
        orders.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(set(orders.mapped("state")), {"cancel"})

    def test_quotation_does_not_grade(self):
        self._create_orders(self.customer, [600000.0], confirm=False)
        self.assertFalse(self.customer.logistics_grade)
        self.assertFalse(self.customer.logistics_annual_spend)
        self.assertFalse(self._histories(self.customer))

    def test_confirm_grades_customer(self):
        order = self._create_orders(self.customer, [120000.0], confirm=False)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertRecordValues(
            self.customer,
            [
                {
                    "logistics_annual_spend": 120000.0,
                    "logistics_monthly_orders": 0.08,
                    "logistics_grade": "B",
                    "logistics_size": "medium",
                }
            ],
        )
        self.assertRecordValues(
            self._histories(self.customer), [{"old_grade": False, "new_grade": "B", "origin": "computed"}]
        )

    def test_confirm_by_salesman(self):
        """A salesman without any Logistics CRM role confirms: the customer is
        regraded all the same, and the change is logged in their name."""
        self._create_orders(self.customer, [600000.0], user=self.user_salesman)
        self.assertEqual(self.customer.logistics_grade, "A")
        self.assertRecordValues(
            self._histories(self.customer),
            [{"old_grade": False, "new_grade": "A", "user_id": self.user_salesman.id}],
        )
        self.assertEqual(self._grade_messages(self.customer).author_id, self.user_salesman.partner_id)

    def test_confirm_order_of_contact_grades_company(self):
        self._create_orders(self.contact, [15000.0])
        self.assertEqual(self.customer.logistics_annual_spend, 15000.0)
        self.assertEqual(self.customer.logistics_grade, "C")
        self.assertFalse(self.contact.logistics_grade)
        self.assertFalse(self.contact.logistics_annual_spend)
        self.assertFalse(self._histories(self.contact))
        self.assertEqual(len(self._histories(self.customer)), 1)

    def test_confirm_several_customers_at_once(self):
        other = self._create_customer("Other Hook Customer", customer_type="individual")
        orders = self._create_orders(self.contact, [600000.0], confirm=False)
        orders |= self._create_orders(other, [10.0] * 36, confirm=False)
        orders.action_confirm()
        self.assertEqual(self.customer.logistics_grade, "A")
        self.assertEqual(other.logistics_grade, "C")
        self.assertEqual(other.logistics_size, "frequent")

    def test_cancel_regrades_back(self):
        first = self._create_orders(self.customer, [20000.0])
        self.assertEqual(self.customer.logistics_grade, "C")
        second = self._create_orders(self.contact, [580000.0])
        self.assertEqual(self.customer.logistics_grade, "A")
        self.assertEqual(self.customer.logistics_annual_spend, 600000.0)

        self._cancel(second)
        self.assertEqual(self.customer.logistics_annual_spend, 20000.0)
        self.assertEqual(self.customer.logistics_grade, "C")
        self.assertEqual(self.customer.logistics_size, "small")
        self._cancel(first)
        self.assertEqual(self.customer.logistics_annual_spend, 0.0)
        self.assertEqual(self.customer.logistics_monthly_orders, 0.0)
        self.assertEqual(self.customer.logistics_grade, "D")
        self.assertEqual(
            [(h.old_grade, h.new_grade) for h in self._histories(self.customer)],
            [(False, "C"), ("C", "A"), ("A", "C"), ("C", "D")],
        )
        messages = self._grade_messages(self.customer)
        self.assertEqual(len(messages), 4)
        self.assertGradeTracked(messages[-1], "C", "D")

    def test_cancel_quotation_changes_nothing(self):
        self._create_orders(self.customer, [20000.0])
        quotation = self._create_orders(self.customer, [900000.0], confirm=False)
        self._cancel(quotation)
        self.assertEqual(self.customer.logistics_grade, "C")
        self.assertEqual(len(self._histories(self.customer)), 1)

    def test_reconfirm_after_cancel(self):
        order = self._create_orders(self.customer, [150000.0])
        self._cancel(order)
        self.assertEqual(self.customer.logistics_grade, "D")
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self.customer.logistics_grade, "B")
        self.assertEqual(
            [(h.old_grade, h.new_grade) for h in self._histories(self.customer)],
            [(False, "B"), ("B", "D"), ("D", "B")],
        )

    def test_override_kept_through_orders(self):
        self.customer.with_user(self.user_supervisor).write(
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Strategic"}
        )
        order = self._create_orders(self.customer, [20000.0])
        self.assertEqual(self.customer.logistics_grade_computed, "C")
        self.assertEqual(self.customer.logistics_grade, "A")
        self._cancel(order)
        self.assertEqual(self.customer.logistics_grade_computed, "D")
        self.assertEqual(self.customer.logistics_grade, "A")
        self.assertEqual(len(self._histories(self.customer)), 1)
