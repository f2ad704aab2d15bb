"""Service KPIs per customer: on time, in full, OTIF, lead time and
complaint rates over the trailing 365 days, from real deliveries."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .survey_common import LogisticsSurveyCommon


class TestServiceKpis(LogisticsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_survey_enabled = False
        cls.customer, cls.contact = cls._create_shipper("KPI Shipper")

    def _delivery(self, qty, late=False):
        """A confirmed order's delivery, due in a week, or overdue since yesterday (its deadline)."""
        picking = self._order_delivery(self.contact, qty=qty)
        due = fields.Datetime.now() + timedelta(days=-1 if late else 7)
        picking.move_ids.write({"date_deadline": due})
        return picking

    def _kpis(self, partner=None):
        partner = (partner or self.customer).with_user(self.user_specialist)
        self.env.invalidate_all()
        return {
            fname: partner[fname]
            for fname in (
                "logistics_delivery_count",
                "logistics_on_time_rate",
                "logistics_in_full_rate",
                "logistics_otif_rate",
                "logistics_complaint_rate",
                "logistics_damage_loss_rate",
            )
        }

    def test_on_time_in_full_backorders_and_returns(self):
        Partner = self.env["res.partner"]
        on_time = self._validate(self._delivery(2))
        self._validate(self._delivery(2, late=True))
        partial = self._delivery(5)
        self._validate(partial, qty=2)
        backorder = partial.sale_id.picking_ids - partial
        self._validate(backorder)
        short = self._validate(self._delivery(3), qty=1, backorder=False)
        self.assertEqual(short.state, "done")
        # a return is no delivery
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=on_time.id, active_ids=on_time.ids, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        self._validate(self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"]))
        self.env["logistics.complaint"].create(
            {
                "partner_id": self.contact.id,
                "summary": "Broken pallet",
                "category_id": self.env.ref("logistics_crm.complaint_category_damage").id,
            }
        )
        written = Partner._logistics_compute_kpis(self.customer, self.company)
        self.assertEqual(written, self.customer.ids)
        # 5 deliveries: the late one is in full; the partial and the short one on time
        self.assertEqual(
            self._kpis(),
            {
                "logistics_delivery_count": 5,
                "logistics_on_time_rate": 80.0,
                "logistics_in_full_rate": 60.0,
                "logistics_otif_rate": 40.0,
                "logistics_complaint_rate": 20.0,
                "logistics_damage_loss_rate": 20.0,
            },
        )
        lead = self.customer.with_user(self.user_specialist).logistics_lead_time_days
        self.assertGreaterEqual(lead, 0.0)
        self.assertLess(lead, 1.0)
        # the delivery analysis agrees, and the rerun writes nothing
        rows = self.env["logistics.delivery.report"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(rows), 5)
        self.assertAlmostEqual(sum(rows.mapped("otif_rate")) / 5, 40.0)
        self.assertEqual(set(rows.mapped("customer_grade")), {"D"}, "the grade stamped on the deliveries")
        with self.assertNoWrites():
            self.assertEqual(Partner._logistics_compute_kpis(self.customer, self.company), [])

    def test_window_and_clearing(self):
        Partner = self.env["res.partner"]
        picking = self._validate(self._delivery(1))
        Partner._logistics_compute_kpis(self.customer, self.company)
        self.assertEqual(self._kpis()["logistics_delivery_count"], 1)
        # a year and a day later it leaves the window: the figures are cleared
        self.env.cr.execute(
            SQL("UPDATE stock_picking SET date_done = date_done - interval '366 days' WHERE id = %s", picking.id)
        )
        self.env.invalidate_all()
        since = fields.Datetime.now() - timedelta(days=366)
        self.assertIn(self.customer.id, Partner._logistics_kpi_customer_ids(self.company, since))
        Partner._cron_logistics_kpis()
        kpis = self._kpis()
        self.assertEqual(kpis["logistics_delivery_count"], 0)
        self.assertFalse(kpis["logistics_otif_rate"])
        raw = self.customer.with_company(self.company)._field_to_sql("partner", "logistics_otif_rate")
        self.env.cr.execute(SQL("SELECT %s FROM res_partner partner WHERE id = %s", raw, self.customer.id))
        self.assertIsNone(self.env.cr.fetchone()[0], "no rate without deliveries")

    def test_per_company(self):
        Partner = self.env["res.partner"]
        self._validate(self._delivery(1, late=True))
        Partner._logistics_compute_kpis(self.customer, self.company)
        self.assertEqual(self._kpis()["logistics_on_time_rate"], 0.0)
        other = self.customer.with_company(self.company_b).sudo()
        self.assertEqual(other.logistics_delivery_count, 0, "company B has its own figures")

    def test_system_fields_not_writable(self):
        for user in (self.user_specialist, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).write({"logistics_otif_rate": 100.0})

    def test_queries_constant(self):
        """The recompute costs the same queries for 10 and 200 customers:
        reading the batch, one aggregate and one UPDATE."""
        Partner = self.env["res.partner"]
        for size in (10, 200):
            customers = Partner.create([{"name": f"Bulk {size}-{index}", "is_company": True} for index in range(size)])
            # stored figures to clear: the recompute writes every customer
            Partner._logistics_write_company_figures(
                self.company, {"logistics_delivery_count": "int4"}, {partner.id: (3,) for partner in customers}
            )
            self.env.flush_all()
            self.env.invalidate_all()
            with self.subTest(size=size), self.assertQueryCount(3):
                written = Partner._logistics_compute_kpis(customers, self.company)
            self.assertEqual(len(written), size)
