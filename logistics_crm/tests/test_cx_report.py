"""The monthly customer-experience improvement report: totals on constructed
data, the PDF and the managers' digest, a rerun that replaces."""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import SQL, mute_logger

from .common import MANAGER
from .survey_common import HAPPY, LogisticsSurveyCommon


class TestCxReport(LogisticsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "lcrm_cx_manager", groups=MANAGER, email="manager@example.com", company_id=cls.company.id
        )
        cls.customer, cls.contact = cls._create_shipper("Reported Shipper")
        # a second customer: one survey per customer within the throttle
        cls.other, cls.other_contact = cls._create_shipper("Other Reported Shipper")
        cls.month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        cls.in_month = datetime.combine(cls.month, datetime.min.time()) + relativedelta(days=10)

    def _backdate(self, table, column, ids):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = ANY(%s)",
                SQL.identifier(table),
                SQL.identifier(column),
                self.in_month,
                list(ids),
            )
        )
        self.env.invalidate_all()

    def _data(self):
        """In the month: two deliveries (one late), two answered surveys
        (satisfied and not), three complaints (two damage, one a repeat)."""
        pickings = self._order_delivery(self.contact) | self._order_delivery(self.other_contact)
        pickings[0].move_ids.date_deadline = fields.Datetime.now() + relativedelta(days=3)
        pickings[1].move_ids.date_deadline = fields.Datetime.now() - relativedelta(days=3)
        self._validate(pickings)
        self._backdate("stock_picking", "date_done", pickings.ids)
        self.env.cr.execute(
            SQL(
                "UPDATE stock_picking SET date_deadline = date_done + CASE WHEN id = %s THEN interval '1 day' "
                "ELSE interval '-1 day' END WHERE id = ANY(%s)",
                pickings[0].id,
                pickings.ids,
            )
        )
        surveys = self._surveys(self.customer) | self._surveys(self.other)
        self._answer(surveys[0], HAPPY)
        self._answer(surveys[1], {**HAPPY, "overall": 2, "recommend": 3})
        self._backdate("logistics_survey", "answered_date", surveys.ids)
        damage = self.env.ref("logistics_crm.complaint_category_damage")
        complaints = self.env["logistics.complaint"].create(
            [
                {"partner_id": self.customer.id, "summary": f"Crushed {index}", "category_id": damage.id}
                for index in range(2)
            ]
            + [{"partner_id": self.customer.id, "summary": "Late"}]
        )
        self._backdate("logistics_complaint", "date_received", complaints.ids)
        return pickings, surveys, complaints

    def test_totals_pdf_digest_and_rerun(self):
        self._data()
        # a real PDF (Odoo renders reports as HTML in tests unless told otherwise)
        Report = self.env["logistics.cx.report"].with_context(force_report_rendering=True)
        report = Report._logistics_generate(self.company, self.month)
        self.assertRecordValues(
            report,
            [
                {
                    "month": self.month,
                    "survey_answers": 2,
                    "csat": 50.0,
                    "delivery_count": 2,
                    "otif": 50.0,
                    "complaint_count": 3,
                    "csat_target": self.company.logistics_csat_target,
                }
            ],
        )
        categories = {line.name: line.count for line in report.category_line_ids}
        self.assertEqual(categories.get("Damage"), 2)
        self.assertEqual(len(report.trend_line_ids), 6)
        self.assertEqual(report.trend_line_ids[-1].csat, 50.0)
        attachment = self.env["ir.attachment"].search([("res_model", "=", report._name), ("res_id", "=", report.id)])
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.raw.startswith(b"%PDF"), attachment.raw[:200])
        digest = report.message_ids.filtered(lambda message: self.manager.partner_id in message.partner_ids)
        self.assertEqual(len(digest), 1)
        self.assertIn(attachment, digest.attachment_ids)
        # a rerun replaces the figures and the PDF, never duplicates
        self.env["logistics.complaint"].create({"partner_id": self.customer.id, "summary": "Another"})
        self._backdate(
            "logistics_complaint",
            "date_received",
            self.env["logistics.complaint"].search([("summary", "=", "Another")]).ids,
        )
        again = Report._logistics_generate(self.company, fields.Date.add(self.month, days=15))
        self.assertEqual(again, report)
        self.assertEqual(Report.search_count([("company_id", "=", self.company.id), ("month", "=", self.month)]), 1)
        self.assertEqual(report.complaint_count, 4)
        self.assertEqual(
            self.env["ir.attachment"].search_count([("res_model", "=", report._name), ("res_id", "=", report.id)]), 1
        )

    def test_six_months_in_one_query_per_analysis(self):
        """The figures of the six months of the trend: one query per
        analysis (surveys, complaints, deliveries, win-backs, loyalty), not
        one per month; the month with data and the empty ones apart."""
        self._data()
        Report = self.env["logistics.cx.report"]
        first = self.month - relativedelta(months=5)
        self.env.flush_all()
        with self.assertQueryCount(5):
            by_month = Report._logistics_month_figures(self.company, first, self.month + relativedelta(months=1))
        self.assertEqual(sorted(by_month), [first + relativedelta(months=index) for index in range(6)])
        self.assertEqual(
            {key: by_month[self.month][key] for key in ("survey_answers", "csat", "complaint_count", "otif")},
            {"survey_answers": 2, "csat": 50.0, "complaint_count": 3, "otif": 50.0},
        )
        self.assertEqual(by_month[first]["complaint_count"], 0)
        self.assertEqual(by_month[first]["csat"], 0.0)

    def test_cron_reports_the_month_before(self):
        self.env["logistics.cx.report"]._cron_monthly()
        report = self.env["logistics.cx.report"].search([("company_id", "=", self.company.id)])
        self.assertEqual(report.month, self.month)

    def test_managers_only(self):
        wizard = self.env["logistics.cx.report.wizard"].with_user(self.manager).create({"month": self.month})
        action = wizard.action_generate()
        report = self.env["logistics.cx.report"].browse(action["res_id"])
        self.assertEqual(report.with_user(self.manager).month, self.month)
        for user in (self.user_supervisor, self.user_specialist):
            with (
                self.subTest(user=user.login),
                self.assertRaises(AccessError),
                mute_logger("odoo.addons.base.models.ir_model"),
            ):
                report.with_user(user).read(["csat"])
        with self.assertRaises(AccessError):
            report.with_user(self.manager).write({"csat": 99.0})
        with self.assertRaises(AccessError):
            report.with_user(self.user_supervisor).action_regenerate()
