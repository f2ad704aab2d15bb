"""The customers' satisfaction figures are recomputed in batch: the same
number of queries for 10 and for 200 customers (one aggregate, one UPDATE)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestSurveyPerformance(LogisticsCrmCommon):
    def _customers_with_surveys(self, count):
        customers = self.env["res.partner"].create(
            [{"name": f"Perf Shipper {index}", "is_company": True} for index in range(count)]
        )
        now = fields.Datetime.now()
        values = []
        for index, customer in enumerate(customers):
            base = {"company_id": self.company.id, "partner_id": customer.id, "sent_date": now - timedelta(days=3)}
            values.append(dict(base, state="answered", csat_score=5 - index % 5, nps_score=10, nps_category="promoter"))
            values.append(dict(base, state="answered", csat_score=2, nps_score=3, nps_category="detractor"))
            values.append(dict(base, state="expired"))
        self.env["logistics.survey"]._logistics_system_writer().create(values)
        self.env.flush_all()
        return customers

    def test_figures_query_count(self):
        Partner = self.env["res.partner"]
        small = self._customers_with_surveys(10)
        large = self._customers_with_surveys(200)
        with self.assertQueryCount(2):
            Partner._logistics_compute_survey_figures(small, self.company)
        with self.assertQueryCount(2):
            Partner._logistics_compute_survey_figures(large, self.company)
        for customers in (small, large):
            self.assertEqual(set(customers.mapped("logistics_survey_count")), {3})
            self.assertEqual(set(customers.mapped("logistics_nps")), {0.0})
            self.assertEqual(set(customers.mapped("logistics_survey_response_rate")), {66.7})
        # overall 5 or 4 (and the 2 of the detractor): 50 %; 3, 2, 1: 0 %
        self.assertEqual(small.mapped("logistics_csat"), [50.0, 50.0, 0.0, 0.0, 0.0] * 2)

    def test_nightly_figures(self):
        customers = self._customers_with_surveys(3)
        self.env["res.partner"]._cron_logistics_survey_figures()
        self.assertEqual(customers.mapped("logistics_survey_count"), [3, 3, 3])
        # a year later, the window is empty: the figures are cleared
        self.env["logistics.survey"].search([("partner_id", "in", customers.ids)])._logistics_system_writer().write(
            {"sent_date": fields.Datetime.now() - timedelta(days=400)}
        )
        self.env["res.partner"]._cron_logistics_survey_figures()
        self.assertEqual(customers.mapped("logistics_survey_count"), [0, 0, 0])
        self.assertEqual(customers.mapped("logistics_csat"), [0.0, 0.0, 0.0])
