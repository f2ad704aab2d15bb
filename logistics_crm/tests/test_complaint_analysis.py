"""Complaint analysis (per month, category, cause and grade: SLA compliance,
mean hours to the first response and to the resolution, the customers'
satisfaction with the handling) and the open complaints on the customer form,
from complaints taken through their actions at frozen times, as real users of
each role."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import MANAGER, LogisticsCrmCommon

# a Monday
NOW = datetime(2026, 3, 2, 9, 0, 0)
MEASURES = ["nbr:sum", "sla_met_percent:avg", "first_response_hours:avg", "resolution_hours:avg"]


@tagged("post_install", "-at_install")
class TestComplaintAnalysis(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_complaint_calendar_id = False
        cls.customer_b = cls._create_customer(
            "Reporting B", logistics_grade_override="B", logistics_grade_override_reason="Test"
        )
        cls.customer_b.email = "claims@reporting-b.example.com"
        cls.customer_a = cls._create_customer(
            "Reporting A", logistics_grade_override="A", logistics_grade_override_reason="Test"
        )
        cls.delay = cls.env.ref("logistics_crm.complaint_category_delay")
        cls.damage = cls.env.ref("logistics_crm.complaint_category_damage")
        cls.quality = cls.env.ref("logistics_crm.complaint_cause_service_quality")
        cls.process = cls.env.ref("logistics_crm.complaint_cause_internal_process")
        cls.manager_b = new_test_user(
            cls.env,
            "lcrm_report_manager_b",
            groups=MANAGER,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

    def _complaint(self, customer, category, acknowledge_after, resolve_after=None, cause=None, received=NOW):
        """A complaint received at ``received`` by the specialist,
        acknowledged ``acknowledge_after`` hours later and, when
        ``resolve_after`` is given, resolved that many hours after receipt."""
        Complaint = self.env["logistics.complaint"].with_user(self.user_specialist)
        with freeze_time(received):
            complaint = Complaint.create({"partner_id": customer.id, "category_id": category.id})
        with freeze_time(received + timedelta(hours=acknowledge_after)):
            complaint.action_acknowledge()
            complaint.action_start()
        if resolve_after is not None:
            complaint.write(
                {
                    "cause_id": (cause or self.quality).id,
                    "liable_party": "carrier",
                    "corrective_action": "Redelivered the next morning",
                }
            )
            with freeze_time(received + timedelta(hours=resolve_after)):
                complaint.action_resolve()
        return complaint

    def _rate(self, complaint, value):
        """Close the complaint and rate it as the customer does, through the
        token of Odoo's rating request."""
        complaint.action_close()
        rating = complaint.rating_ids.filtered(lambda r: not r.consumed)
        self.assertEqual(len(rating), 1, "closing asks the customer for a rating")
        complaint.rating_apply(value, token=rating.access_token)

    def test_sla_compliance_and_mean_hours(self):
        """Grade B (4 h / 48 h): two met, one breached (answered after 5 h):
        66.67 % met; mean hours over the answered and resolved ones only."""
        met_1 = self._complaint(self.customer_b, self.delay, 1, 10)
        met_2 = self._complaint(self.customer_b, self.delay, 3, 20)
        late = self._complaint(self.customer_b, self.damage, 5, 30, cause=self.process)
        # open, answered after 2 h: no settled SLA, no resolution
        self._complaint(self.customer_b, self.delay, 2)
        # new, not answered: counted, no hours
        with freeze_time(NOW):
            self.env["logistics.complaint"].with_user(self.user_specialist).create(
                {"partner_id": self.customer_b.id, "category_id": self.delay.id}
            )
        # cancelled: left out
        cancelled = self._complaint(self.customer_b, self.delay, 1)
        cancelled.action_cancel()
        self.assertEqual((met_1 | met_2).mapped("sla_status"), ["met", "met"])
        self.assertEqual(late.sla_status, "breached")

        [(count, met, first, resolution)] = (
            self.env["logistics.complaint.report"]
            .with_user(self.user_manager)
            ._read_group([("partner_id", "=", self.customer_b.id)], [], MEASURES)
        )
        self.assertEqual(count, 5)
        self.assertAlmostEqual(met, 200 / 3, places=6)
        self.assertAlmostEqual(first, (1 + 3 + 5 + 2) / 4, places=6)
        self.assertAlmostEqual(resolution, (10 + 20 + 30) / 3, places=6)

    def test_an_immediate_response_counts_zero_hours(self):
        at_once = self._complaint(self.customer_b, self.delay, 0)
        later = self._complaint(self.customer_b, self.delay, 2)
        [(first,)] = (
            self.env["logistics.complaint.report"]
            .with_user(self.user_manager)
            ._read_group([("complaint_id", "in", (at_once | later).ids)], [], ["first_response_hours:avg"])
        )
        self.assertEqual(first, 1.0, "0 and 2 hours")

    def test_resolution_hours_leave_out_the_pause(self):
        complaint = self._complaint(self.customer_b, self.delay, 1)
        with freeze_time(NOW + timedelta(hours=2)):
            complaint.action_wait()
        with freeze_time(NOW + timedelta(hours=6)):
            complaint.action_start()
        complaint.write({"cause_id": self.quality.id, "liable_party": "customer", "corrective_action": "Explained"})
        with freeze_time(NOW + timedelta(hours=10)):
            complaint.action_resolve()
        [(resolution,)] = (
            self.env["logistics.complaint.report"]
            .with_user(self.user_manager)
            ._read_group([("complaint_id", "=", complaint.id)], [], ["resolution_hours:avg"])
        )
        self.assertEqual(resolution, 6.0, "10 hours from receipt, 4 of them waiting for the customer")

    def test_grouping_by_month_category_cause_and_grade(self):
        self._complaint(self.customer_b, self.delay, 1, 10)
        self._complaint(self.customer_b, self.damage, 5, 30, cause=self.process)
        self._complaint(self.customer_a, self.delay, 1, 30, received=NOW + timedelta(days=31))
        Report = self.env["logistics.complaint.report"].with_user(self.user_manager)
        domain = [("partner_id", "in", (self.customer_a | self.customer_b).ids)]

        by_grade = {grade: (count, met) for grade, count, met in Report._read_group(domain, ["grade"], MEASURES[:2])}
        # grade A: 2 h / 24 h, answered in 1 h, resolved in 30 h: breached
        self.assertEqual(by_grade, {"A": (1, 0.0), "B": (2, 50.0)})

        by_month = {month: count for month, count in Report._read_group(domain, ["date_received:month"], ["nbr:sum"])}
        self.assertEqual(by_month, {datetime(2026, 3, 1): 2, datetime(2026, 4, 1): 1})

        by_category = {
            category: (count, resolution)
            for category, count, resolution in Report._read_group(
                domain, ["category_id"], ["nbr:sum", "resolution_hours:avg"]
            )
        }
        self.assertEqual(by_category, {self.delay: (2, 20.0), self.damage: (1, 30.0)})

        by_cause = {cause: count for cause, count in Report._read_group(domain, ["cause_id"], ["nbr:sum"])}
        self.assertEqual(by_cause, {self.quality: 2, self.process: 1})

    def test_satisfaction_per_month_and_category(self):
        """Odoo's ratings (5 satisfied, 3 okay, 1 dissatisfied): the share
        satisfied among the rated complaints, per month and category; the
        complaints nobody rated are left out of the share."""
        march_delay_1 = self._complaint(self.customer_b, self.delay, 1, 10)
        march_delay_2 = self._complaint(self.customer_b, self.delay, 1, 10)
        march_damage = self._complaint(self.customer_b, self.damage, 1, 10)
        april_delay = self._complaint(self.customer_b, self.delay, 1, 10, received=NOW + timedelta(days=31))
        # resolved, never rated
        self._complaint(self.customer_b, self.delay, 1, 10)
        self._rate(march_delay_1, 5)
        self._rate(march_delay_2, 1)
        self._rate(march_damage, 3)
        self._rate(april_delay, 5)

        Report = self.env["logistics.complaint.report"].with_user(self.user_manager)
        groups = Report._read_group(
            [("partner_id", "=", self.customer_b.id)],
            ["date_received:month", "category_id"],
            ["nbr:sum", "rated_count:sum", "satisfaction_percent:avg", "rating_value:avg"],
        )
        self.assertEqual(
            {(month.month, category): values for month, category, *values in groups},
            {
                (3, self.delay): [3, 2, 50.0, 3.0],
                (3, self.damage): [1, 1, 0.0, 3.0],
                (4, self.delay): [1, 1, 100.0, 5.0],
            },
        )
        # the satisfaction menu opens the rated complaints, per category and month
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.logistics_complaint_action_satisfaction")
        self.assertEqual(action["res_model"], "logistics.complaint.report")
        self.assertIn("satisfaction_percent", action["context"])
        self.assertEqual(Report.search_count([("partner_id", "=", self.customer_b.id), ("rated_count", "=", 1)]), 4)

    def test_compensation_granted_or_approved_only(self):
        self.company.logistics_compensation_fixed_limit = 100.0
        Complaint = self.env["logistics.complaint"].with_user(self.user_specialist)
        granted = Complaint.create(
            {"partner_id": self.customer_a.id, "compensation_amount": 80.0, "compensation_kind": "refund"}
        )
        waiting = Complaint.create(
            {"partner_id": self.customer_a.id, "compensation_amount": 500.0, "compensation_kind": "refund"}
        )
        self.assertEqual((granted | waiting).mapped("compensation_state"), ["granted", "to_approve"])
        Report = self.env["logistics.complaint.report"].with_user(self.user_manager)
        [(total,)] = Report._read_group([("partner_id", "=", self.customer_a.id)], [], ["compensation_amount:sum"])
        self.assertEqual(total, 80.0)
        waiting.with_user(self.user_manager).action_approve_compensation()
        [(total,)] = Report._read_group([("partner_id", "=", self.customer_a.id)], [], ["compensation_amount:sum"])
        self.assertEqual(total, 580.0)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_analysis_access(self):
        """Managers and administrators read the analysis of their companies;
        specialists and supervisors do not; nobody writes it."""
        complaint = self._complaint(self.customer_b, self.delay, 1, 10)
        Report = self.env["logistics.complaint.report"]
        for user in (self.user_manager, self.user_admin):
            self.assertEqual(Report.with_user(user).search([("complaint_id", "=", complaint.id)]).ids, complaint.ids)
        for user in (self.user_specialist, self.user_supervisor, self.user_internal):
            with self.assertRaises(AccessError):
                Report.with_user(user).search([])
        for operation in ("write", "unlink", "create"):
            with self.assertRaises(AccessError):
                Report.with_user(self.user_admin).browse(complaint.id).check_access(operation)
        # another company's manager sees nothing of it
        self.assertFalse(Report.with_user(self.manager_b).search([("complaint_id", "=", complaint.id)]))

    def test_views(self):
        views = (
            self.env["logistics.complaint.report"]
            .with_user(self.user_manager)
            .get_views([(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")])
        )
        for measure in ("sla_met_percent", "first_response_hours", "resolution_hours", "satisfaction_percent"):
            self.assertIn(f'name="{measure}"', views["views"]["pivot"]["arch"])
        self.assertIn("group_grade", views["views"]["search"]["arch"])

    # ------------------------------------------------------------------
    # the customer form
    # ------------------------------------------------------------------

    def test_open_complaints_on_the_customer(self):
        contact = self.env["res.partner"].create({"name": "Claims desk", "parent_id": self.customer_b.id})
        Complaint = self.env["logistics.complaint"].with_user(self.user_specialist)
        open_1 = Complaint.create({"partner_id": contact.id, "category_id": self.delay.id})
        open_2 = Complaint.create({"partner_id": self.customer_b.id, "category_id": self.damage.id})
        done = self._complaint(self.customer_b, self.delay, 1, 10)
        other = Complaint.create({"partner_id": self.customer_a.id})
        more = self.env["res.partner"]
        for index in range(5):
            more |= self._create_customer(f"More {index}")
            Complaint.create([{"partner_id": more[-1].id}] * 2)
        partners = (self.customer_b | contact | self.customer_a).with_user(self.user_specialist)
        everyone = partners | more.with_user(self.user_specialist)
        # the first read fills the caches of the user's groups and rules
        self.env.invalidate_all()
        everyone.mapped("logistics_open_complaint_ids")
        # then the same queries for 3 partners and for 8: the company and the
        # commercial partners read, one search for the batch, its complaints read
        for batch in (partners, everyone):
            self.env.invalidate_all()
            with self.assertQueryCount(4):
                values = {p: p.logistics_open_complaint_ids for p in batch}
            self.assertEqual(len(values), len(batch))
        self.assertEqual(len(everyone[-1].logistics_open_complaint_ids), 2)
        self.assertEqual(values[self.customer_b], open_1 | open_2)
        self.assertEqual(values[contact], open_1 | open_2, "a contact shows its company's complaints")
        self.assertEqual(values[self.customer_a], other)
        self.assertNotIn(done, values[self.customer_b])
        form = self.env["res.partner"].with_user(self.user_specialist).get_view(view_type="form")["arch"]
        self.assertIn('name="logistics_open_complaint_ids"', form)
        # users without a Logistics CRM role see neither the list nor the field
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.user_internal).read(["logistics_open_complaint_ids"])
