"""Grading cost does not grow with the number of customers.

Recomputing 10, 100 or 200 customers runs the same queries: one aggregate read
of the figures for the whole batch, the grading rules once, then (when grades
change) one batched write of the customers and one batched creation of the
history entries, chatter notes and tracked values. The only statements whose
number follows the size of the batch are those the ORM itself splits: it
inserts at most 100 rows per INSERT statement (``INSERT_BATCH_SIZE`` in
``odoo/models.py``), so 200 changed customers take one more statement of
each kind than 10 or 100 do (the customers themselves are updated in one
statement, with their grading date). A recompute where nothing changes
writes nothing, and costs the same for any number of customers; so does a
cron batch, which writes the grading date of the batch in one statement.
"""

import math
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged, warmup

from .common import LogisticsCrmCommon

# A recompute of customers whose grades all change, for at most 100 customers:
# the search of which of them are customers (and the partners of the
# companies, never graded), the rules, the figures, then the writes.
QUERIES_GRADES_CHANGE = 18
# The statements the ORM splits by 100 rows when every grade changes: the
# INSERT of the grade history entries, of the chatter notes and of their
# tracked values (the customers are updated in one statement).
ORM_SPLIT_STATEMENTS = 3
# A recompute where nothing changes, for any number of customers.
QUERIES_NOTHING_CHANGES = 10
# One call of the cron whose batch changes no grade, in a database of two
# companies: the companies, then in the first one the search of the batch,
# its recompute with one UPDATE of the grading dates, and in the second one
# the count of what remains.
QUERIES_CRON_BATCH = 15


def orm_statements(count):
    """Statements the ORM needs to write ``count`` rows (at most 100 each)."""
    return math.ceil(count / 100)


@tagged("post_install", "-at_install")
class TestGradingPerformance(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # keep the customers the database may already hold out of the cron batches
        cls._mark_customers_graded(fields.Date.today())

        cls.customers = Partner.create(
            [
                {
                    "name": f"Perf customer {index}",
                    "is_company": True,
                    "logistics_customer_type": "individual",
                    "company_id": cls.company.id,
                    "industry_id": cls.industry_ecommerce.id if index % 3 == 0 else False,
                }
                for index in range(310)
            ]
        )
        # every fifth customer buys through a contact
        contacts = Partner.create(
            [{"name": f"Buyer of {customer.name}", "parent_id": customer.id} for customer in cls.customers[::5]]
        )
        buyer = dict(zip(cls.customers.ids, cls.customers, strict=True))
        buyer.update(zip(cls.customers[::5].ids, contacts, strict=True))
        # one or two orders per customer, for amounts that differ from one
        # customer to the next and give every grade
        base_amounts = [600000.0, 150000.0, 20000.0, 100.0]
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": buyer[customer.id].id,
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
        cls.customers.write(
            {
                "logistics_grade": False,
                "logistics_annual_spend": 0.0,
                "logistics_monthly_orders": 0.0,
                "logistics_grade_computed": False,
                "logistics_grade_rule_id": False,
            }
        )
        cls.env.flush_all()
        cls.batches = {
            10: cls.customers[:10],
            100: cls.customers[10:110],
            200: cls.customers[110:],
        }

    def setUp(self):
        super().setUp()
        self.assertEqual({size: len(batch) for size, batch in self.batches.items()}, {10: 10, 100: 100, 200: 200})
        self.assertFalse(any(self.customers.mapped("logistics_grade")))
        for size, batch in self.batches.items():
            grades = {self.graded[customer_id][0] for customer_id in batch.ids}
            self.assertEqual(grades, {"A", "B", "C", "D"}, f"every grade among the {size} customers")

    def _measure(self, size, expected, function):
        """Run ``function`` after a flush and a cache invalidation, check its
        query count and return it."""
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            count0 = self.cr.sql_log_count
            function()
            self.env.flush_all()
            count = self.cr.sql_log_count - count0
        if self.warm:
            # assertQueryCount only fails on more queries: fewer fail here too
            self.assertEqual(count, expected, f"queries for {size} customers")
        return count

    def _recompute(self, size):
        """Recompute a batch as a specialist pressing the button."""
        self.batches[size].with_env(self.specialist_env).action_logistics_recompute_grade()

    def _warm_specialist_env(self):
        """The environment of the specialist, with its companies known (an
        environment computes them once, whatever the number of customers)."""
        self.specialist_env = self.env(user=self.user_specialist)
        self.assertEqual(self.specialist_env.company, self.company)

    def _assert_graded(self, customers):
        self.env.invalidate_all()
        for customer in customers:
            self.assertEqual(
                (customer.logistics_grade, customer.logistics_annual_spend), self.graded[customer.id], customer.name
            )

    @warmup
    def test_recompute_grades_change(self):
        history_count = self.env["logistics.grade.history"].search_count([])
        message_count = self.env["mail.message"].search_count([])
        self._warm_specialist_env()
        counts = {}
        for size in (10, 100, 200):
            expected = QUERIES_GRADES_CHANGE + ORM_SPLIT_STATEMENTS * (orm_statements(size) - 1)
            counts[size] = self._measure(size, expected, lambda size=size: self._recompute(size))
        self._assert_graded(self.customers)
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count + 310)
        self.assertEqual(self.env["mail.message"].search_count([]), message_count + 310)
        if self.warm:
            self.assertEqual(counts[10], counts[100], "10 and 100 customers: the same queries")
            self.assertEqual(counts[200] - counts[10], ORM_SPLIT_STATEMENTS, "200: only the ORM's 100-row split")

    @warmup
    def test_recompute_nothing_changes(self):
        self.customers.action_logistics_recompute_grade()
        history_count = self.env["logistics.grade.history"].search_count([])
        self._warm_specialist_env()
        counts = {}
        for size in (10, 100, 200):
            counts[size] = self._measure(size, QUERIES_NOTHING_CHANGES, lambda size=size: self._recompute(size))
        self._assert_graded(self.customers)
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count)
        if self.warm:
            self.assertEqual(counts[10], counts[100], "the cost must not depend on the number of customers")
            self.assertEqual(counts[10], counts[200], "the cost must not depend on the number of customers")

    @warmup
    def test_cron_batch(self):
        Partner = self.env["res.partner"]
        self.customers.action_logistics_recompute_grade()
        # graded yesterday: due tonight
        today = fields.Date.today()
        self.customers._logistics_system_writer().write({"logistics_grade_date": today - timedelta(days=1)})
        counts = {}
        for size in (10, 100, 200):
            counts[size] = self._measure(
                size,
                QUERIES_CRON_BATCH,
                lambda size=size: self.assertEqual(Partner._cron_logistics_recompute_grades(batch_size=size), size),
            )
        self._assert_graded(self.customers)
        self.assertEqual(self.customers.mapped("logistics_grade_date"), [today] * 310)
        if self.warm:
            self.assertEqual(counts[10], counts[100], "the cost must not depend on the number of customers")
            self.assertEqual(counts[10], counts[200], "the cost must not depend on the number of customers")
