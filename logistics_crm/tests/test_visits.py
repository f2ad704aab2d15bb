"""Relationship maintenance: scheduled visits, care dates, account managers."""

from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError

from ..models.logistics_care_date import next_occurrence
from .common import LogisticsCrmCommon


class TestVisits(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit_type = cls.env.ref("logistics_crm.mail_activity_type_customer_visit")
        cls.key_account = cls._create_customer("Key Account", user_id=cls.user_salesman.id)
        cls.unmanaged = cls._create_customer("Unmanaged Key Account")
        cls.small = cls._create_customer("Small Customer", user_id=cls.user_salesman.id)
        # grade A (visit every 90 days, account manager required) by override
        for customer in (cls.key_account, cls.unmanaged):
            customer.with_user(cls.user_supervisor).write(
                {"logistics_grade_override": "A", "logistics_grade_override_reason": "Strategic"}
            )
        cls.small.with_user(cls.user_supervisor).write(
            {"logistics_grade_override": "D", "logistics_grade_override_reason": "Small"}
        )

    def _visits(self, customer, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", customer.id),
                    ("activity_type_id", "=", self.visit_type.id),
                    ("active", "=", active),
                ]
            )
        )

    def test_plan_never_twice_and_done_records_the_visit(self):
        Partner = self.env["res.partner"]
        planned = Partner._logistics_plan_visits(self.company)
        self.assertEqual(
            planned.mapped("res_id"), self.key_account.ids, "grade D has no visits; no salesperson no visit"
        )
        self.assertEqual(planned.user_id, self.user_salesman)
        self.assertFalse(Partner._logistics_plan_visits(self.company), "never two open at once")
        # the salesperson marks it done
        planned.with_user(self.user_salesman).action_feedback(feedback="Met the logistics director")
        today = fields.Date.context_today(planned)
        self.assertEqual(self.key_account.with_user(self.user_specialist).logistics_last_visit_date, today)
        self.assertEqual(len(self._visits(self.key_account, active=False)), 1, "kept as the visit history")
        self.assertEqual(self.key_account.with_user(self.user_specialist).logistics_visit_count, 1)
        self.assertFalse(Partner._logistics_plan_visits(self.company), "visited today")
        self.assertFalse(Partner._logistics_plan_visits(self.company, today=today + timedelta(days=89)))
        later = Partner._logistics_plan_visits(self.company, today=today + timedelta(days=90))
        self.assertEqual(later.mapped("res_id"), self.key_account.ids)

    def test_visit_date_not_writable(self):
        with self.assertRaises(Exception):  # noqa: B017 - AccessError or a guarded-field error
            self.key_account.with_user(self.user_specialist).write({"logistics_last_visit_date": "2020-01-01"})

    def test_account_manager_list(self):
        Partner = self.env["res.partner"].with_user(self.user_specialist)
        missing = Partner.search([("logistics_needs_account_manager", "=", True)])
        self.assertIn(self.unmanaged, missing)
        self.assertNotIn(self.key_account, missing)
        self.assertNotIn(self.small, missing)
        self.assertTrue(self.unmanaged.with_user(self.user_specialist).logistics_needs_account_manager)
        self.assertIn(self.key_account, Partner.search([("logistics_needs_account_manager", "=", False)]))


class TestCareDates(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Cared For", user_id=cls.user_salesman.id)
        cls.contact = cls.env["res.partner"].create({"name": "Director", "parent_id": cls.customer.id})
        cls.company.logistics_care_reminder_days = 7

    def test_next_occurrence(self):
        self.assertEqual(next_occurrence(date(2000, 3, 10), date(2026, 3, 10)), date(2026, 3, 10))
        self.assertEqual(next_occurrence(date(2000, 3, 10), date(2026, 3, 11)), date(2027, 3, 10))
        self.assertEqual(next_occurrence(date(2000, 2, 29), date(2026, 1, 1)), date(2026, 2, 28))
        self.assertEqual(next_occurrence(date(2000, 2, 29), date(2027, 12, 1)), date(2028, 2, 29))

    def test_reminded_once_before_the_date(self):
        today = date(2026, 6, 1)
        Care = self.env["logistics.care.date"].with_user(self.user_specialist)
        soon = Care.create(
            {
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
                "name": "Director's birthday",
                "kind": "birthday",
                "date": date(1980, 6, 5),
            }
        )
        Care.create(
            {"partner_id": self.customer.id, "name": "Founding", "kind": "anniversary", "date": date(2010, 7, 1)}
        )
        activities = Care._remind(today=today)
        self.assertEqual(len(activities), 1)
        self.assertRecordValues(
            activities,
            [{"res_id": self.customer.id, "user_id": self.user_salesman.id, "date_deadline": date(2026, 6, 5)}],
        )
        self.assertEqual(soon.last_reminded_date, date(2026, 6, 5))
        self.assertFalse(Care._remind(today=today + timedelta(days=1)), "once per occurrence")
        self.assertEqual(len(Care._remind(today=date(2027, 5, 30))), 1, "again the next year")

    def test_contact_of_the_customer_only(self):
        stranger = self._create_customer("Stranger")
        with self.assertRaises(ValidationError):
            self.env["logistics.care.date"].create(
                {"partner_id": self.customer.id, "contact_id": stranger.id, "name": "x", "date": date(2000, 1, 1)}
            )
        with self.assertRaises(ValidationError):
            self.env["logistics.care.date"].create(
                {"partner_id": self.contact.id, "name": "x", "date": date(2000, 1, 1)}
            )
