"""One source for each threshold: a grading rule's threshold can follow a
customer size setting of the company that grades, so that raising that
setting moves the size and the grade together; the rules are named by what
they are and their thresholds show from the fields."""

import re
from contextlib import contextmanager

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.misc import format_amount

from .common import LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestGradeRuleSources(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the Settings right (company thresholds) and the module's admin group (rules)
        cls.user_settings = cls._create_settings_user("lcrm_rule_settings", companies=cls.company | cls.company_b)

    def _state(self, partner, company=None):
        partner = partner.with_company(company or self.company)
        partner.invalidate_recordset()
        return partner.logistics_size, partner.logistics_grade

    def _amount(self, amount, company=None):
        return format_amount(self.env, amount, (company or self.company).currency_id)

    def test_default_rules_follow_the_size_settings(self):
        rules = self.rule_a | self.rule_b | self.rule_c | self.rule_d
        self.assertEqual(
            [(rule.grade, rule.spend_threshold_source, rule.orders_threshold_source) for rule in rules],
            [("A", "large", "own"), ("B", "medium", "own"), ("C", "own", "frequent"), ("D", "own", "own")],
        )
        self.assertEqual(rules.mapped("annual_spend_threshold"), [500000.0, 100000.0, 10000.0, 0.0])
        self.assertEqual(rules.mapped("monthly_orders_threshold"), [0.0, 0.0, 3.0, 0.0])
        # names say what the rules are, not their numbers (nor does the form's example)
        for rule in rules:
            self.assertNotRegex(rule.name, r"\d", rule.name)
        arch = self.env["logistics.grade.rule"].get_views([(False, "form")])["views"]["form"]["arch"]
        placeholder = etree.fromstring(arch).xpath("//field[@name='name']/@placeholder")[0]
        self.assertFalse(re.search(r"\d", placeholder), placeholder)

    def test_raising_large_spend_moves_size_and_grade_together(self):
        customer = self._create_customer("Big Shipper")
        self._create_orders(customer, [600000.0])
        self.assertEqual(self._state(customer), ("large", "A"))
        self.company.with_user(self.user_settings).logistics_large_spend = 700000.0
        # regraded at once, no recompute
        self.assertEqual(self._state(customer), ("medium", "B"))
        self.assertEqual(self._histories(customer).mapped("new_grade"), ["A", "B"])
        self.assertEqual(self._histories(customer)[-1].reason, f"Grading rule: {self.rule_b.name}")
        # and back
        self.company.with_user(self.user_settings).logistics_large_spend = 600000.0
        self.assertEqual(self._state(customer), ("large", "A"))

    def test_settings_regrade_once(self):
        """Settings write the thresholds to the company together: one regrade
        (A to C, not A to B to C), and no check of the large spend against the
        medium one between two of them."""
        customer = self._create_customer("Settled Shipper")
        self._create_orders(customer, [600000.0])
        individual = self._create_customer("Regular Sender", customer_type="individual")
        self._create_orders(individual, [10.0] * 30)  # 2.5 orders a month
        self.assertEqual(self._state(individual), ("occasional", "D"))
        self.env["res.config.settings"].with_user(self.user_settings).create(
            {
                "logistics_large_spend": 800000.0,
                "logistics_medium_spend": 650000.0,
                "logistics_frequent_orders": 2.5,
            }
        ).execute()
        self.assertRecordValues(
            self.company,
            [{"logistics_large_spend": 800000.0, "logistics_medium_spend": 650000.0, "logistics_frequent_orders": 2.5}],
        )
        self.assertEqual(self._state(customer), ("small", "C"))
        self.assertEqual(self._histories(customer).mapped("new_grade"), ["A", "C"])
        self.assertEqual(self._state(individual), ("frequent", "C"))

    def test_unchanged_thresholds_regrade_nothing(self):
        customer = self._create_customer("Steady Shipper")
        self._create_orders(customer, [600000.0])

        def figures_read(values):
            """Whether writing ``values`` on the company reads sales figures (regrades)."""
            queries = []
            with contextmanager(self._patchExecute)(queries):
                self.company.write(values)
            return any("sale_order" in query for query in queries)

        self.assertFalse(figures_read({"logistics_large_spend": 500000.0, "logistics_frequent_orders": 3.0}))
        self.assertTrue(figures_read({"logistics_large_spend": 500000.0, "logistics_frequent_orders": 4.0}))

    def test_ungraded_customers_are_resized(self):
        prospect = self._create_customer("Prospect")
        self.assertEqual(self._state(prospect), ("small", False))
        self.company.logistics_medium_spend = 0.0
        self.assertEqual(self._state(prospect), ("medium", False))

    def test_shared_rule_follows_each_company(self):
        self.company_b.logistics_large_spend = 1000000.0
        shared = self._create_customer("Shared Shipper", company_id=False)
        self._create_orders(shared, [600000.0])
        self._create_orders(shared, [600000.0], company=self.company_b)
        self.assertEqual(self._state(shared, self.company), ("large", "A"))
        self.assertEqual(self._state(shared, self.company_b), ("medium", "B"))
        self.assertEqual(self.rule_a.with_company(self.company).annual_spend_threshold, 500000.0)
        self.assertEqual(self.rule_a.with_company(self.company_b).annual_spend_threshold, 1000000.0)
        # lowering company B's setting regrades there only
        self.company_b.logistics_large_spend = 550000.0
        self.assertEqual(self._state(shared, self.company_b), ("large", "A"))
        self.assertEqual(self._state(shared, self.company), ("large", "A"))
        self.assertEqual(len(self._histories(shared).filtered(lambda h: h.company_id == self.company)), 1)

    def test_own_amount(self):
        rules = self.rule_a.with_user(self.user_settings)
        rules.write({"spend_threshold_source": "own", "min_annual_spend": 550000.0})
        customer = self._create_customer("Own Shipper")
        self._create_orders(customer, [520000.0])
        # large by the company setting, below the rule's own amount
        self.assertEqual(self._state(customer), ("large", "B"))
        self.company.logistics_large_spend = 510000.0
        self.assertEqual(self._state(customer), ("large", "B"))
        self.assertEqual(rules.annual_spend_threshold, 550000.0)
        rules.min_annual_spend = 520000.0
        self.assertEqual(self._state(customer), ("large", "A"))
        # a rule of a company whose own number ignores the setting
        rule = self.env["logistics.grade.rule"].create(
            {
                "name": "Busy individuals",
                "grade": "B",
                "sequence": 25,
                "company_id": self.company.id,
                "min_monthly_orders": 2.0,
                "customer_type_filter": "individual",
            }
        )
        sender = self._create_customer("Busy Sender", customer_type="individual")
        self._create_orders(sender, [10.0] * 24)
        self.assertEqual(self._state(sender), ("occasional", "B"))
        self.assertEqual(sender.logistics_grade_rule_id, rule)

    def test_switching_to_own_starts_from_the_setting(self):
        self.company.logistics_large_spend = 600000.0
        with Form(self.rule_a.with_user(self.user_settings)) as form:
            self.assertEqual(form.annual_spend_threshold, 600000.0)
            form.spend_threshold_source = "own"
            self.assertEqual(form.min_annual_spend, 600000.0)
            form.min_annual_spend = 650000.0
        self.assertRecordValues(self.rule_a, [{"spend_threshold_source": "own", "min_annual_spend": 650000.0}])
        self.assertEqual(self.rule_a.annual_spend_threshold, 650000.0)

    def test_summary(self):
        rules = (self.rule_a | self.rule_b | self.rule_c | self.rule_d).with_user(self.user_settings)
        self.assertEqual(
            rules.mapped("threshold_summary"),
            [
                f"Annual spend ≥ {self._amount(500000.0)} (large enterprise spend)",
                f"Annual spend ≥ {self._amount(100000.0)} (medium enterprise spend)",
                f"Annual spend ≥ {self._amount(10000.0)} or ≥ 3 orders a month (frequent individuals)",
                "No threshold",
            ],
        )
        self.company.with_user(self.user_settings).write(
            {"logistics_large_spend": 750000.0, "logistics_frequent_orders": 2.5}
        )
        self.assertEqual(
            rules[0].threshold_summary, f"Annual spend ≥ {self._amount(750000.0)} (large enterprise spend)"
        )
        self.assertEqual(
            rules[2].threshold_summary,
            f"Annual spend ≥ {self._amount(10000.0)} or ≥ 2.50 orders a month (frequent individuals)",
        )
        rules[2].write({"match_all": True, "orders_threshold_source": "own", "min_monthly_orders": 4.0})
        self.assertEqual(rules[2].threshold_summary, f"Annual spend ≥ {self._amount(10000.0)} and ≥ 4 orders a month")
        # a shared rule shows the thresholds of the current company
        self.company_b.logistics_large_spend = 900000.0
        self.assertEqual(
            rules[0].with_company(self.company_b).threshold_summary,
            f"Annual spend ≥ {self._amount(900000.0, self.company_b)} (large enterprise spend)",
        )

    def test_own_amounts_keep_their_bounds(self):
        rule = self.rule_a.with_user(self.user_settings)
        before = rule.read(["spend_threshold_source", "min_annual_spend"], load=None)[0]
        for values in (
            {"min_annual_spend": float("nan")},
            {"min_annual_spend": -1.0},
            {"spend_threshold_source": "own", "min_annual_spend": float("inf")},
            {"min_monthly_orders": float("nan")},
            {"orders_threshold_source": "own", "min_monthly_orders": -2.0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                rule.write(values)
            with self.subTest(values=values), self.assertRaises(ValidationError):
                rule.create({"name": "Refused", "grade": "B", **values})
        rule.invalidate_recordset()
        self.assertRecordValues(rule, [before])
        self.assertEqual(before["spend_threshold_source"], "large")
