"""Edge cases of the pure grading arithmetic (no database needed)."""

from odoo.tests import BaseCase, tagged

from ..tools.grading import GradeRule, compute_grade, compute_size, demote, monthly_average

DEFAULT_RULES = [
    GradeRule("A", min_annual_spend=500000, key=1),
    GradeRule("B", min_annual_spend=100000, key=2),
    GradeRule("C", min_annual_spend=10000, min_monthly_orders=3, key=3),
    GradeRule("D", key=4),
]


@tagged("post_install", "-at_install")
class TestGradingTools(BaseCase):
    def test_spend_boundaries(self):
        cases = [
            (500000, "A"),
            (499999.99, "B"),
            (100000, "B"),
            (99999.99, "C"),
            (10000, "C"),
            (9999.99, "D"),
            (0, "D"),
        ]
        for spend, expected in cases:
            with self.subTest(spend=spend):
                self.assertEqual(compute_grade(DEFAULT_RULES, spend, 0)[0], expected)

    def test_orders_boundary(self):
        self.assertEqual(compute_grade(DEFAULT_RULES, 0, 3)[0], "C")
        self.assertEqual(compute_grade(DEFAULT_RULES, 0, 2.99)[0], "D")

    def test_credit_demotion(self):
        self.assertEqual(compute_grade(DEFAULT_RULES, 600000, 0, credit_status="poor")[:3:2], ("B", True))
        self.assertEqual(compute_grade(DEFAULT_RULES, 600000, 0, credit_status="blocked")[0], "B")
        self.assertEqual(compute_grade(DEFAULT_RULES, 600000, 0, credit_status="watch")[0], "A")
        grade, rule, demoted = compute_grade(DEFAULT_RULES, 0, 0, credit_status="blocked")
        self.assertEqual((grade, rule.key, demoted), ("D", 4, False))
        self.assertEqual(demote("A"), "B")
        self.assertEqual(demote("D"), "D")

    def test_match_all_and_filters(self):
        rules = [
            GradeRule("A", min_annual_spend=1000, min_monthly_orders=5, match_all=True, key=1),
            GradeRule("B", customer_types=frozenset({"government"}), key=2),
            GradeRule("C", industry_ids=frozenset({7}), key=3),
        ]
        self.assertEqual(compute_grade(rules, 1000, 5)[0], "A")
        self.assertEqual(compute_grade(rules, 1000, 4)[0], "D")
        self.assertEqual(compute_grade(rules, 0, 0, customer_type="government")[0], "B")
        self.assertEqual(compute_grade(rules, 0, 0, customer_type="enterprise", industry_id=7)[0], "C")
        self.assertEqual(compute_grade([], 10**9, 100)[0:2], ("D", None))

    def test_sizes(self):
        thresholds = {"large_spend": 500000, "medium_spend": 100000, "frequent_orders": 3}
        self.assertEqual(compute_size("enterprise", 500000, 0, **thresholds), "large")
        self.assertEqual(compute_size("enterprise", 499999.99, 0, **thresholds), "medium")
        self.assertEqual(compute_size("enterprise", 100000, 0, **thresholds), "medium")
        self.assertEqual(compute_size("enterprise", 99999.99, 0, **thresholds), "small")
        self.assertEqual(compute_size("individual", 0, 3, **thresholds), "frequent")
        self.assertEqual(compute_size("individual", 0, 2.99, **thresholds), "occasional")
        self.assertEqual(compute_size("government", 10**7, 50, current_size="city", **thresholds), "city")
        self.assertFalse(compute_size("government", 0, 0, current_size="large", **thresholds))
        # the level set by hand wins; a type switched away and back finds it
        self.assertEqual(
            compute_size("government", 0, 0, current_size="small", government_level="provincial", **thresholds),
            "provincial",
        )
        self.assertEqual(
            compute_size("enterprise", 0, 0, current_size="city", government_level="city", **thresholds), "small"
        )
        self.assertFalse(compute_size(False, 10**7, 50, **thresholds))
        self.assertEqual(monthly_average(36), 3)
