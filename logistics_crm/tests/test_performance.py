"""Grading cost does not grow with the number of customers: recomputing 10 or
200 customers takes the same number of queries, whether their grades change
or not."""

from datetime import date

from odoo import Command, fields
from odoo.tests import tagged, warmup

from .common import LogisticsCrmCommon

# Queries of one recompute (aggregate read of the figures, batched writes,
# history and chatter notes created in batch), whatever the number of customers.
QUERIES_GRADES_CHANGE = 0
QUERIES_NOTHING_CHANGES = 0
QUERIES_CRON_BATCH = 0


@tagged("post_install", "-at_install")
class TestGradingPerformance(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # keep the customers the database may already hold out of the cron batches
        Partner.search(Partner._logistics_grading_domain()).write({"logistics_grade_date": date(2999, 1, 1)})

        customer_types = ["enterprise", "individual", "government", False]
        base_amounts = [600000.0, 150000.0, 20000.0, 100.0]
        cls.customers = Partner.create(
            [
                {
                    "name": f"Perf customer {index}",
                    "is_company": True,
                    "logistics_customer_type": customer_types[index % 4],
                    "logistics_size": "city" if index % 4 == 2 else False,
                    "industry_id": cls.industry_ecommerce.id if index % 3 == 0 else False,
                    "logistics_credit_status": "poor" if index % 7 == 0 else "good",
                }
                for index in range(210)
            ]
        )
        contacts = Partner.create(
            [{"name": f"Buyer of {customer.name}", "parent_id": customer.id} for customer in cls.customers[::5]]
        )
        contact_of = dict(zip(cls.customers[::5].ids, contacts, strict=True))
        # one or two orders per customer, every amount different
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": contact_of.get(customer.id, customer).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": base_amounts[index % 4] + index + extra,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for index, customer in enumerate(cls.customers)
                for extra in ((0.0, 0.5) if index % 2 else (0.0,))
            ]
        )
        orders.action_confirm()
        cls.graded = {
            customer.id: (customer.logistics_grade, customer.logistics_annual_spend) for customer in cls.customers
        }
        # forget what the confirmation computed: the next recompute changes every grade
        cls.customers.with_context(logistics_grade_batch=True).write(
            {
                "logistics_annual_spend": 0.0,
                "logistics_monthly_orders": 0.0,
                "logistics_grade_computed": False,
                "logistics_grade_rule_id": False,
                "logistics_grade_credit_demoted": False,
            }
        )
        cls.env.flush_all()
        cls.customers_10 = cls.customers[:10]
        cls.customers_200 = cls.customers[10:]

    def setUp(self):
        super().setUp()
        self.assertEqual(len(self.customers_200), 200)
        self.assertFalse(any(self.customers.mapped("logistics_grade")))
        self.assertEqual(
            {grade for grade, _spend in self.graded.values()}, {"A", "B", "C", "D"}, "a mix of every grade"
        )

    def _recompute_queries(self, customers, expected):
        """Recompute ``customers`` as a specialist pressing the button and
        return the number of queries it took (checked against ``expected``)."""
        self.env.flush_all()
        self.env.invalidate_all()
        customers = customers.with_user(self.user_specialist)
        count0 = self.cr.sql_log_count
        with self.assertQueryCount(expected):
            customers.action_logistics_recompute_grade()
        return self.cr.sql_log_count - count0

    def _assert_graded(self, customers):
        self.env.invalidate_all()
        for customer in customers:
            self.assertEqual(
                (customer.logistics_grade, customer.logistics_annual_spend), self.graded[customer.id], customer.name
            )

    @warmup
    def test_recompute_grades_change(self):
        history_count = self.env["logistics.grade.history"].search_count([])
        count_10 = self._recompute_queries(self.customers_10, QUERIES_GRADES_CHANGE)
        count_200 = self._recompute_queries(self.customers_200, QUERIES_GRADES_CHANGE)
        self._assert_graded(self.customers)
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count + 210)
        if self.warm:
            self.assertEqual(count_10, count_200, "the cost of a recompute must not depend on the number of customers")

    @warmup
    def test_recompute_nothing_changes(self):
        self.customers.action_logistics_recompute_grade()
        history_count = self.env["logistics.grade.history"].search_count([])
        count_10 = self._recompute_queries(self.customers_10, QUERIES_NOTHING_CHANGES)
        count_200 = self._recompute_queries(self.customers_200, QUERIES_NOTHING_CHANGES)
        self._assert_graded(self.customers)
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count)
        if self.warm:
            self.assertEqual(count_10, count_200, "the cost of a recompute must not depend on the number of customers")

    @warmup
    def test_cron_batch(self):
        Partner = self.env["res.partner"]
        counts = []
        for batch_size in (10, 200):
            self.env.flush_all()
            self.env.invalidate_all()
            count0 = self.cr.sql_log_count
            with self.assertQueryCount(QUERIES_CRON_BATCH):
                self.assertEqual(Partner._cron_logistics_recompute_grades(batch_size=batch_size), batch_size)
            counts.append(self.cr.sql_log_count - count0)
        self._assert_graded(self.customers)
        self.assertEqual(self.customers.mapped("logistics_grade_date"), [fields.Date.context_today(Partner)] * 210)
        if self.warm:
            self.assertEqual(counts[0], counts[1], "the cost of a cron batch must not depend on its size")
