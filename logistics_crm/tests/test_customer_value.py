"""RFM, churn warning and health score on constructed order histories."""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import LogisticsCrmCommon


class TestCustomerValue(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        cls.call = cls.env.ref("mail.mail_activity_data_call")

    def _customer(self, name, days_ago, amounts=None, **values):
        """A customer with one confirmed order per entry of ``days_ago``
        (its date that many days ago), of ``amounts`` (default 100 each)."""
        customer = self._create_customer(name, user_id=self.user_salesman.id, **values)
        orders = self._create_orders(customer, amounts or [100.0] * len(days_ago))
        for order, days in zip(orders, days_ago, strict=True):
            self.env.cr.execute(
                SQL("UPDATE sale_order SET date_order = %s WHERE id = %s", self.now - timedelta(days=days), order.id)
            )
        self.env.invalidate_all()
        return customer

    def _compute(self):
        return self.env["res.partner"]._logistics_compute_customer_value(self.company)

    def _read(self, customer, *fnames):
        self.env.invalidate_all()
        customer = customer.with_user(self.user_specialist)
        return tuple(customer[fname] for fname in fnames)

    def _calls(self, customer):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", customer.id), ("activity_type_id", "=", self.call.id)]
        )

    def test_rfm_quintiles_and_segments(self):
        # five customers, each better than the last in recency, frequency and spend
        customers = [
            self._customer(f"RFM {rank}", [400 - 60 * rank] * (rank + 1), [1000.0 * (rank + 1)] * (rank + 1))
            for rank in range(5)
        ]
        # every other customer of the database is ranked too: only ours here
        others = self.env["res.partner"].search([("id", "not in", [c.id for c in customers])])
        self.env.cr.execute(SQL("UPDATE sale_order SET state = 'cancel' WHERE partner_id = ANY(%s)", others.ids))
        self._compute()
        scores = [self._read(c, "logistics_rfm_recency", "logistics_rfm_frequency") for c in customers]
        self.assertEqual(scores, [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)])
        self.assertEqual(self._read(customers[0], "logistics_rfm_segment")[0], "lost")
        self.assertEqual(self._read(customers[1], "logistics_rfm_segment")[0], "hibernating")
        self.assertEqual(self._read(customers[3], "logistics_rfm_segment")[0], "champions")
        # the rerun writes nothing
        with self.assertNoWrites():
            self.assertEqual(self._compute(), [])

    def test_new_customer(self):
        customer = self._customer("Newcomer", [10])
        self._compute()
        self.assertEqual(self._read(customer, "logistics_rfm_segment")[0], "new")

    def test_churn_by_interval_once_per_episode(self):
        overdue = self._customer("Overdue", [100, 90, 80])  # every 10 days, silent for 80
        regular = self._customer("Regular", [30, 20, 10])  # every 10 days, last 10 days ago
        two_orders = self._customer("Two Orders", [200, 190])  # too few orders to tell
        self._compute()
        self.assertEqual(self._read(overdue, "logistics_churn_risk", "logistics_churn_reason"), (True, "interval"))
        self.assertEqual(self._read(regular, "logistics_churn_risk")[0], False)
        self.assertEqual(self._read(two_orders, "logistics_churn_risk")[0], False)
        calls = self._calls(overdue)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls.user_id, self.user_salesman)
        self.assertFalse(self._calls(regular))
        # the nightly rerun: still at risk, no second call
        self._compute()
        self.assertEqual(len(self._calls(overdue)), 1)
        # a new order ends the episode; silence again starts a new one
        calls.action_done()
        self._create_orders(overdue, [100.0])
        self._compute()
        self.assertEqual(self._read(overdue, "logistics_churn_risk")[0], False)
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET date_order = %s"
                " WHERE id = (SELECT MAX(id) FROM sale_order WHERE partner_id = %s)",
                self.now - timedelta(days=70),
                overdue.id,
            )
        )
        self.env.invalidate_all()
        self._compute()
        self.assertEqual(self._read(overdue, "logistics_churn_risk")[0], True)
        self.assertEqual(len(self._calls(overdue)), 1, "one open call: the new episode's")

    def test_churn_by_spend(self):
        falling = self._customer("Falling", [400, 10], [1000.0, 400.0])  # 40 % of last year's quarter
        steady = self._customer("Steady", [400, 10], [1000.0, 500.0])  # exactly half: not below
        self._compute()
        self.assertEqual(self._read(falling, "logistics_churn_risk", "logistics_churn_reason"), (True, "spend"))
        self.assertEqual(self._read(steady, "logistics_churn_risk")[0], False)

    def test_health_score_weights(self):
        big = self._customer("Big Spender", [5], [600000.0])
        small = self._customer("Small Spender", [5], [50.0])
        self.company.write(
            {
                "logistics_health_weight_grade": 100.0,
                "logistics_health_weight_otif": 0.0,
                "logistics_health_weight_satisfaction": 0.0,
                "logistics_health_weight_complaints": 0.0,
                "logistics_health_weight_trend": 0.0,
            }
        )
        self._compute()
        self.assertEqual(self._read(big, "logistics_grade", "logistics_health_score"), ("A", 100.0))
        self.assertEqual(self._read(small, "logistics_grade", "logistics_health_score"), ("D", 25.0))
        # the spend trend alone: no spend a year ago, spend now: 100
        self.company.write({"logistics_health_weight_grade": 0.0, "logistics_health_weight_trend": 50.0})
        self._compute()
        self.assertEqual(self._read(small, "logistics_health_score")[0], 100.0)

    def test_cron_and_lists(self):
        overdue = self._customer("Overdue Cron", [100, 90, 80])
        self.env["res.partner"]._cron_logistics_customer_value()
        at_risk = self.env.ref("logistics_crm.res_partner_action_logistics_at_risk")
        found = self.env["res.partner"].with_user(self.user_specialist).search(safe_eval(at_risk.domain))
        self.assertIn(overdue, found)
        look_after = (
            self.env["res.partner"]
            .with_user(self.user_specialist)
            .search([("logistics_last_order_date", "!=", False)], order="logistics_health_score")
        )
        self.assertIn(overdue, look_after)

    def test_queries_constant(self):
        """The value pass costs the same queries for 5 and 40 customers:
        one aggregate over the company's orders and one UPDATE."""
        counts = []
        for size in (5, 40):
            customers = self.env["res.partner"].create(
                [{"name": f"Value {size}-{index}", "is_company": True} for index in range(size)]
            )
            orders = self.env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 100.0 + index})],
                    }
                    for index, customer in enumerate(customers)
                ]
            )
            orders.action_confirm()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            changed = self._compute()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertTrue(set(customers.ids) <= set(changed))
        self.assertEqual(counts[0], counts[1], "the same statements for 5 and 40 customers")

    def test_churn_activities_batched(self):
        """The call activities of the customers that have just become at
        risk cost the same statements for 2 and for 6 of them."""
        counts = []
        # the first pass warms Odoo's caches (activity type, model ids)
        for size in (1, 2, 6):
            for index in range(size):
                self._customer(f"Drifting {size}-{index}", [100, 90, 80])
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._compute()
            counts.append(self.env.cr.sql_log_count - before)
            calls = self.env["mail.activity"].search(
                [("res_name", "like", f"Drifting {size}-"), ("activity_type_id", "=", self.call.id)]
            )
            self.assertEqual(len(calls), size)
        self.assertEqual(counts[1], counts[2], "the same statements for 2 and 6 customers at risk")
