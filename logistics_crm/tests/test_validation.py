"""Every number a user sets in the module is a finite number within bounds.

NaN and the infinities (which JSON-RPC clients can send as the JSON tokens
``NaN`` and ``Infinity``), negative numbers and absurd magnitudes are refused
with a ValidationError naming the field, by every path that stores them, and
the stored value stays what it was.
"""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LogisticsCrmCommon

NAN = float("nan")
INF = float("inf")

# The bounds the messages state (tools/numbers.py), pinned here on purpose.
SPEND_MAX = 1e12
MONTHLY_ORDERS_MAX = 100_000
HOURS_MAX = 8760  # one year
VISIT_INTERVAL_DAYS_MAX = 3650  # ten years

COMPANY_MAXIMA = {
    "logistics_large_spend": SPEND_MAX,
    "logistics_medium_spend": SPEND_MAX,
    "logistics_frequent_orders": MONTHLY_ORDERS_MAX,
}
SERVICE_LEVEL_MAXIMA = {
    "visit_interval_days": VISIT_INTERVAL_DAYS_MAX,
    "first_response_hours": HOURS_MAX,
    "resolution_hours": HOURS_MAX,
}
GRADE_RULE_MAXIMA = {
    "min_annual_spend": SPEND_MAX,
    "min_monthly_orders": MONTHLY_ORDERS_MAX,
}


def bad_values(maximum):
    return [NAN, INF, -INF, -1, maximum + 1]


@tagged("post_install", "-at_install")
class TestNumericValidation(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # company settings need the Settings right (and the module's admin
        # group, which shows the Logistics CRM settings)
        cls.user_settings = cls._create_settings_user("lcrm_settings")
        cls.level = cls.env["logistics.service.level"].create(
            {
                "name": "Validation level",
                "grade": "A",
                "company_id": cls.company.id,
                "visit_interval_days": 90,
                "first_response_hours": 2.0,
                "resolution_hours": 24.0,
            }
        )
        cls.rule = cls.env["logistics.grade.rule"].create(
            {
                "name": "Validation rule",
                "grade": "C",
                "company_id": cls.company.id,
                "min_annual_spend": 10000.0,
                "min_monthly_orders": 3.0,
                "sequence": 100,
            }
        )

    def assertWritesRefused(self, record, maxima):
        """Each bad value of each field is refused naming the field, and the
        field keeps its value (nothing of the write is stored)."""
        for fname, maximum in maxima.items():
            label = record._fields[fname].string
            old = record[fname]
            for value in bad_values(maximum):
                with self.subTest(model=record._name, field=fname, value=value):
                    with self.assertRaises(ValidationError) as refused:
                        record.write({fname: value})
                    self.assertIn(label, refused.exception.args[0])
                    record.invalidate_recordset()
                    self.assertEqual(record[fname], old)

    # ------------------------------------------------------------------
    # company thresholds
    # ------------------------------------------------------------------

    def test_company_thresholds_refused(self):
        company = self.company.with_user(self.user_settings)
        self.assertWritesRefused(company, COMPANY_MAXIMA)
        self.assertRecordValues(
            company,
            [
                {
                    "logistics_large_spend": 500000.0,
                    "logistics_medium_spend": 100000.0,
                    "logistics_frequent_orders": 3.0,
                }
            ],
        )

    def test_company_create_refused(self):
        companies = self.env["res.company"].with_user(self.user_settings)
        for fname, maximum in COMPANY_MAXIMA.items():
            for value in bad_values(maximum):
                with self.subTest(field=fname, value=value), self.assertRaises(ValidationError):
                    companies.create({"name": "Refused Company", fname: value})
        self.assertFalse(companies.search([("name", "=", "Refused Company")]))

    def test_company_thresholds_boundaries(self):
        company = self.company.with_user(self.user_settings)
        company.write(
            {
                "logistics_large_spend": SPEND_MAX,
                "logistics_medium_spend": SPEND_MAX,
                "logistics_frequent_orders": MONTHLY_ORDERS_MAX,
            }
        )
        company.write({"logistics_large_spend": 0.0, "logistics_medium_spend": 0.0, "logistics_frequent_orders": 0.0})
        self.assertRecordValues(
            company,
            [{"logistics_large_spend": 0.0, "logistics_medium_spend": 0.0, "logistics_frequent_orders": 0.0}],
        )
        # the existing rule still holds
        with self.assertRaises(ValidationError):
            company.write({"logistics_large_spend": 10.0, "logistics_medium_spend": 20.0})

    def test_company_thresholds_as_text(self):
        """The ORM converts text to a number: 'nan' must not slip through."""
        company = self.company.with_user(self.user_settings)
        for value in ("nan", "Infinity", "1e400"):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                company.write({"logistics_frequent_orders": value})
        self.assertEqual(company.logistics_frequent_orders, 3.0)

    def test_settings_refused(self):
        """The settings screen writes the company thresholds through related
        fields: create the settings record and execute it, as the client does."""
        settings = self.env["res.config.settings"].with_user(self.user_settings)
        for fname, maximum in COMPANY_MAXIMA.items():
            label = self.company._fields[fname].string
            for value in bad_values(maximum):
                with self.subTest(field=fname, value=value):
                    with self.assertRaises(ValidationError) as refused:
                        settings.create({fname: value}).execute()
                    self.assertIn(label, refused.exception.args[0])
        self.company.invalidate_recordset()
        self.assertRecordValues(
            self.company,
            [
                {
                    "logistics_large_spend": 500000.0,
                    "logistics_medium_spend": 100000.0,
                    "logistics_frequent_orders": 3.0,
                }
            ],
        )

    def test_settings_boundaries(self):
        settings = self.env["res.config.settings"].with_user(self.user_settings)
        settings.create(
            {
                "logistics_large_spend": SPEND_MAX,
                "logistics_medium_spend": 0.0,
                "logistics_frequent_orders": MONTHLY_ORDERS_MAX,
            }
        ).execute()
        self.assertRecordValues(
            self.company,
            [
                {
                    "logistics_large_spend": SPEND_MAX,
                    "logistics_medium_spend": 0.0,
                    "logistics_frequent_orders": MONTHLY_ORDERS_MAX,
                }
            ],
        )

    # ------------------------------------------------------------------
    # service levels
    # ------------------------------------------------------------------

    def test_service_level_refused(self):
        self.assertWritesRefused(self.level.with_user(self.user_admin), SERVICE_LEVEL_MAXIMA)
        self.assertRecordValues(
            self.level, [{"visit_interval_days": 90, "first_response_hours": 2.0, "resolution_hours": 24.0}]
        )

    def test_service_level_nothing_half_written(self):
        level = self.level.with_user(self.user_admin)
        with self.assertRaises(ValidationError):
            level.write({"name": "Renamed", "resolution_hours": NAN})
        with self.assertRaises(ValidationError):
            level.write({"name": "Renamed", "visit_interval_days": 10**10})
        self.assertEqual(level.name, "Validation level")

    def test_service_level_create_refused(self):
        levels = self.env["logistics.service.level"].with_user(self.user_admin)
        values = {"name": "New level", "grade": "B", "company_id": self.company.id}
        for fname, maximum in SERVICE_LEVEL_MAXIMA.items():
            for value in bad_values(maximum):
                with self.subTest(field=fname, value=value), self.assertRaises(ValidationError):
                    levels.create({**values, fname: value})
                # a default from the context is what create stores too
                with self.subTest(field=fname, default=value), self.assertRaises(ValidationError):
                    levels.with_context(**{f"default_{fname}": value}).create(values)
        self.assertFalse(levels.search([("name", "=", "New level")]))

    def test_service_level_stored_default_refused(self):
        """What create stores is checked, defaults included: a user default
        (ir.default) is not in the values create receives."""
        self.env["ir.default"].set("logistics.service.level", "resolution_hours", NAN)
        levels = self.env["logistics.service.level"].with_user(self.user_admin)
        with self.assertRaises(ValidationError):
            levels.create({"name": "New level", "grade": "B", "company_id": self.company.id})
        self.assertFalse(levels.search([("name", "=", "New level")]))

    def test_service_level_boundaries(self):
        level = self.level.with_user(self.user_admin)
        level.write(
            {
                "visit_interval_days": VISIT_INTERVAL_DAYS_MAX,
                "first_response_hours": HOURS_MAX,
                "resolution_hours": HOURS_MAX,
            }
        )
        self.assertRecordValues(
            level,
            [{"visit_interval_days": 3650, "first_response_hours": 8760.0, "resolution_hours": 8760.0}],
        )
        level.write({"visit_interval_days": 0, "first_response_hours": 0.0, "resolution_hours": 0.0})
        # the existing rule still holds
        with self.assertRaises(ValidationError):
            level.write({"first_response_hours": 48.0, "resolution_hours": 24.0})

    # ------------------------------------------------------------------
    # grading rules
    # ------------------------------------------------------------------

    def test_grade_rule_refused(self):
        self.assertWritesRefused(self.rule.with_user(self.user_admin), GRADE_RULE_MAXIMA)
        self.assertRecordValues(self.rule, [{"min_annual_spend": 10000.0, "min_monthly_orders": 3.0}])

    def test_grade_rule_create_refused(self):
        rules = self.env["logistics.grade.rule"].with_user(self.user_admin)
        values = {"name": "New rule", "grade": "B", "company_id": self.company.id}
        for fname, maximum in GRADE_RULE_MAXIMA.items():
            for value in bad_values(maximum):
                with self.subTest(field=fname, value=value), self.assertRaises(ValidationError):
                    rules.create({**values, fname: value})
                with self.subTest(field=fname, default=value), self.assertRaises(ValidationError):
                    rules.with_context(**{f"default_{fname}": value}).create(values)
        self.assertFalse(rules.with_context(active_test=False).search([("name", "=", "New rule")]))

    def test_grade_rule_boundaries(self):
        rule = self.rule.with_user(self.user_admin)
        rule.write({"min_annual_spend": SPEND_MAX, "min_monthly_orders": MONTHLY_ORDERS_MAX})
        self.assertRecordValues(rule, [{"min_annual_spend": SPEND_MAX, "min_monthly_orders": MONTHLY_ORDERS_MAX}])
        rule.write({"min_annual_spend": 0.0, "min_monthly_orders": 0.0})
        self.assertRecordValues(rule, [{"min_annual_spend": 0.0, "min_monthly_orders": 0.0}])
