"""A customer shared between companies: each company grades it with its own
rules, from its own confirmed orders, in its own currency, and sees only its
own figures, grade, override, credit status and history."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SUPERVISOR, LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestSharedCustomer(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.company_e = cls.env["res.company"].create({"name": "Logistics Company EUR", "currency_id": eur.id})
        cls.rule_of_e = cls.env["logistics.grade.rule"].create(
            {
                "name": "B: company EUR from 50,000",
                "grade": "B",
                "min_annual_spend": 50000.0,
                "company_id": cls.company_e.id,
            }
        )

        def supervisor(login, company):
            return new_test_user(
                cls.env,
                login,
                groups=f"{SUPERVISOR},base.group_partner_manager",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.supervisor_a = supervisor("lcrm_supervisor_a", cls.company_a)
        cls.supervisor_e = supervisor("lcrm_supervisor_e", cls.company_e)
        # shared: no company of its own
        cls.shared = cls._create_customer("Shared Shipper", company_id=False)
        cls._create_orders(cls.shared, [20000.0, 40000.0])  # 60,000 in company A: C there
        cls._create_orders(cls.shared, [70000.0], company=cls.company_e)  # 70,000 EUR in company E: B there

    def _seen_by(self, user):
        return self.shared.with_user(user).with_company(user.company_id)

    def test_each_company_grades_with_its_rules_orders_and_currency(self):
        in_a = self._seen_by(self.supervisor_a)
        in_e = self._seen_by(self.supervisor_e)
        self.assertRecordValues(
            in_a,
            [
                {
                    "logistics_annual_spend": 60000.0,
                    "logistics_monthly_orders": 0.17,
                    "logistics_grade": "C",
                    "logistics_grade_rule_id": self.rule_c.id,
                    "logistics_currency_id": self.company_a.currency_id.id,
                }
            ],
        )
        self.assertRecordValues(
            in_e,
            [
                {
                    "logistics_annual_spend": 70000.0,
                    "logistics_monthly_orders": 0.08,
                    "logistics_grade": "B",
                    "logistics_grade_rule_id": self.rule_of_e.id,
                    "logistics_currency_id": self.env.ref("base.EUR").id,
                }
            ],
        )
        # each company's history holds its own changes only (read afresh, as
        # a request does: the cache is not per user)
        self.env.invalidate_all()
        self.assertEqual(in_a.logistics_grade_history_ids.mapped("new_grade"), ["C"])
        self.env.invalidate_all()
        self.assertEqual(in_e.logistics_grade_history_ids.mapped("new_grade"), ["B"])
        self.assertEqual(in_e.logistics_grade_history_ids.company_id, self.company_e)
        # and the other company's rule is none of its business
        with mute_logger("odoo.addons.base.models.ir_rule"), self.assertRaises(AccessError):
            self.rule_of_e.with_user(self.supervisor_a).read(["name"])

    def test_one_company_action_does_not_change_the_other(self):
        in_a = self._seen_by(self.supervisor_a)
        in_e = self._seen_by(self.supervisor_e)
        in_a.write(
            {
                "logistics_credit_status": "blocked",
                "logistics_grade_override": "A",
                "logistics_grade_override_reason": "Group account in A",
            }
        )
        in_a.action_logistics_recompute_grade()
        self.assertRecordValues(
            in_a, [{"logistics_grade": "A", "logistics_grade_computed": "D", "logistics_credit_status": "blocked"}]
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            in_e,
            [
                {
                    "logistics_grade": "B",
                    "logistics_grade_computed": "B",
                    "logistics_grade_override": False,
                    "logistics_grade_override_reason": False,
                    "logistics_credit_status": "good",
                }
            ],
        )
        self.assertEqual(in_e.logistics_grade_history_ids.mapped("new_grade"), ["B"])
        self.assertEqual(
            self.env["logistics.grade.history"].with_user(self.supervisor_e).search([]).company_id, self.company_e
        )
        # a new order in company E regrades the customer there only
        self._create_orders(self.shared, [500000.0], company=self.company_e)
        self.env.invalidate_all()
        self.assertEqual(in_e.logistics_grade, "A")
        self.assertEqual(in_a.logistics_grade_computed, "D")
        self.assertEqual(in_a.logistics_annual_spend, 60000.0)

    def test_chatter_does_not_show_a_company_grade_of_a_shared_customer(self):
        """Every company sees the chatter of a shared customer: its per-company
        grade changes, credit status and override stay in each company's
        history; a customer of one company gets its notes as usual."""
        self.assertFalse(self._grade_messages(self.shared))
        self._seen_by(self.supervisor_a).write(
            {"logistics_credit_status": "poor", "logistics_grade_override": "B", "logistics_grade_override_reason": "X"}
        )
        tracked = self.env["mail.tracking.value"].search([("mail_message_id.res_id", "=", self.shared.id)])
        self.assertFalse(tracked.field_id.filtered(lambda f: f.name.startswith("logistics_")))

        own = self._create_customer("Customer of A", company_id=self.company_a.id)
        self._create_orders(own, [20000.0])
        self.assertGradeTracked(self._grade_messages(own), False, "C")

    def test_nightly_grading_covers_every_company(self):
        other = self._create_customer("Shared, graded nightly", company_id=False)
        self._create_orders(other, [60000.0], company=self.company_e)
        other.invalidate_recordset()
        # the nightly grading of company A grades it there too
        self.env["logistics.grading"]._cron_grade(batch_size=100000)
        self.assertEqual(other.with_company(self.company_a).logistics_grade, "D")
        self.assertEqual(other.with_company(self.company_e).logistics_grade, "B")
        self.assertTrue(other.with_company(self.company_a).logistics_grade_date)
        self.assertTrue(other.with_company(self.company_e).logistics_grade_date)

    def test_customer_of_a_company_is_graded_there_only(self):
        own = self._create_customer("Customer of E", company_id=self.company_e.id)
        self._create_orders(own, [60000.0], company=self.company_e)
        # pressed by a user whose current company is A: graded in E, its company
        own.with_company(self.company_a)._logistics_recompute_grades()
        self.assertEqual(own.with_company(self.company_e).logistics_grade, "B")
        self.assertFalse(own.with_company(self.company_a).logistics_grade)
