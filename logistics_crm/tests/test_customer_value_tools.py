"""Edge cases of the pure customer value arithmetic (no database needed)."""

from datetime import date, datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools.customer_value import (
    CHURN_SPEND_DAYS,
    MIN_CHURN_ORDERS,
    NEW_CUSTOMER_DAYS,
    SEGMENTS,
    churn_risk,
    complaint_component,
    grade_component,
    health_score,
    median_order_interval,
    quintile_scores,
    rfm_segment,
    satisfaction_component,
    trend_component,
)

TODAY = date(2025, 6, 30)
WEIGHTS = {"grade": 1, "otif": 1, "satisfaction": 1, "complaints": 1, "trend": 1}


def days_ago(*days):
    return [TODAY - timedelta(days=day) for day in days]


@tagged("post_install", "-at_install")
class TestCustomerValueTools(BaseCase):
    def test_constants(self):
        self.assertEqual(NEW_CUSTOMER_DAYS, 90)
        self.assertEqual(MIN_CHURN_ORDERS, 3)
        self.assertEqual(CHURN_SPEND_DAYS, 90)
        self.assertEqual(
            [key for key, _label in SEGMENTS],
            ["champions", "loyal", "promising", "new", "at_risk", "hibernating", "lost"],
        )
        self.assertEqual(dict(SEGMENTS)["at_risk"], "At Risk")

    def test_quintiles_distinct(self):
        self.assertEqual(quintile_scores([10, 20, 30, 40, 50]), [1, 2, 3, 4, 5])
        self.assertEqual(quintile_scores([50, 10, 40, 20, 30]), [5, 1, 4, 2, 3])
        self.assertEqual(quintile_scores(list(range(10))), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        self.assertEqual(quintile_scores([0.5, 0.25]), [3, 1])

    def test_quintiles_ties(self):
        self.assertEqual(quintile_scores([7, 7, 7, 7]), [1, 1, 1, 1])
        # worse counts: 0, 0, 2, 2, 4 out of 5
        self.assertEqual(quintile_scores([1, 1, 2, 2, 3]), [1, 1, 3, 3, 5])
        self.assertEqual(quintile_scores([3, 1, 3, 1, 2]), [4, 1, 4, 1, 3])

    def test_quintiles_lower_is_better(self):
        # recency: fewer days since the last order is better
        self.assertEqual(quintile_scores([10, 20, 30, 40, 50], higher_is_better=False), [5, 4, 3, 2, 1])
        self.assertEqual(quintile_scores([1, 1, 2, 2, 3], higher_is_better=False), [4, 4, 2, 2, 1])
        self.assertEqual(quintile_scores(list(range(10)), higher_is_better=False), [5, 5, 4, 4, 3, 3, 2, 2, 1, 1])

    def test_quintiles_small(self):
        self.assertEqual(quintile_scores([42]), [1])
        self.assertEqual(quintile_scores([42], higher_is_better=False), [1])
        self.assertEqual(quintile_scores([]), [])
        self.assertEqual(quintile_scores([], higher_is_better=False), [])

    def test_segment_new(self):
        self.assertEqual(rfm_segment(5, 5, 5, NEW_CUSTOMER_DAYS), "new")
        self.assertEqual(rfm_segment(1, 1, 1, 0), "new")
        self.assertEqual(rfm_segment(5, 5, 5, NEW_CUSTOMER_DAYS + 1), "champions")
        self.assertEqual(rfm_segment(1, 1, 1, NEW_CUSTOMER_DAYS + 1), "lost")

    def test_segments_and_boundaries(self):
        age = 365
        cases = [
            # (recency, frequency, monetary, expected)
            (5, 5, 5, "champions"),
            (4, 4, 4, "champions"),
            (4, 5, 3, "champions"),  # fm = 4
            (4, 4, 3, "loyal"),  # fm = 3.5
            (3, 5, 5, "loyal"),  # recency 3 is never a champion
            (3, 3, 3, "loyal"),
            (5, 2, 4, "loyal"),  # fm = 3
            (5, 2, 3, "promising"),  # fm = 2.5
            (3, 1, 1, "promising"),
            (2, 5, 5, "at_risk"),
            (2, 3, 3, "at_risk"),
            (1, 4, 2, "at_risk"),  # fm = 3
            (1, 5, 5, "at_risk"),
            (2, 2, 3, "hibernating"),  # fm = 2.5
            (2, 1, 1, "hibernating"),
            (1, 3, 2, "lost"),  # fm = 2.5
            (1, 1, 1, "lost"),
        ]
        for recency, frequency, monetary, expected in cases:
            with self.subTest(r=recency, f=frequency, m=monetary):
                self.assertEqual(rfm_segment(recency, frequency, monetary, age), expected)
        keys = {key for key, _label in SEGMENTS}
        self.assertEqual({case[3] for case in cases} | {"new"}, keys)

    def test_median_interval(self):
        self.assertIsNone(median_order_interval([]))
        self.assertIsNone(median_order_interval(days_ago(30, 0)))
        self.assertEqual(median_order_interval(days_ago(30, 20, 0)), 15)
        self.assertEqual(median_order_interval(days_ago(0, 30, 10)), 15)  # any order
        self.assertEqual(median_order_interval(days_ago(40, 30, 10, 0)), 10)
        self.assertEqual(median_order_interval(iter(days_ago(7, 3, 0))), 3.5)
        self.assertIsInstance(median_order_interval(days_ago(30, 20, 0)), float)

    def test_median_duplicate_dates(self):
        # three orders on two distinct dates: enough orders, one interval
        self.assertEqual(median_order_interval(days_ago(10, 10, 0)), 10)
        # duplicates do not add zero intervals
        self.assertEqual(median_order_interval(days_ago(20, 20, 20, 10, 0)), 10)
        # datetimes count by calendar date
        self.assertEqual(
            median_order_interval([datetime(2025, 6, 1, 8), datetime(2025, 6, 1, 18), datetime(2025, 6, 2, 9)]),
            1,
        )
        self.assertEqual(median_order_interval([date(2025, 6, 1), datetime(2025, 6, 1, 9), date(2025, 6, 5)]), 4)
        # all on one day: no interval to measure
        self.assertIsNone(median_order_interval(days_ago(3, 3, 3)))

    def test_churn_by_interval(self):
        orders = days_ago(40, 30, 20)  # median 10, last order 20 days ago: exactly twice
        self.assertEqual(churn_risk(orders, TODAY, 0, 0), (False, None))
        self.assertEqual(churn_risk(orders, TODAY + timedelta(days=1), 0, 0), (True, "interval"))
        self.assertEqual(churn_risk(orders, TODAY - timedelta(days=1), 0, 0), (False, None))
        # the interval wins over the spend
        self.assertEqual(churn_risk(orders, TODAY + timedelta(days=1), 0, 1000), (True, "interval"))
        # datetimes and a generator are accepted
        stamps = (datetime.combine(day, datetime.min.time()).replace(hour=23) for day in orders)
        self.assertEqual(churn_risk(stamps, TODAY + timedelta(days=1), 0, 0), (True, "interval"))

    def test_churn_interval_needs_orders(self):
        # two orders: no regular interval, however long ago
        self.assertEqual(churn_risk(days_ago(400, 390), TODAY, 0, 0), (False, None))
        self.assertEqual(churn_risk([], TODAY, 0, 0), (False, None))

    def test_churn_by_spend(self):
        self.assertEqual(churn_risk([], TODAY, 499.99, 1000), (True, "spend"))
        self.assertEqual(churn_risk([], TODAY, 500, 1000), (False, None))
        self.assertEqual(churn_risk([], TODAY, 0, 1000), (True, "spend"))
        self.assertEqual(churn_risk([], TODAY, 0, 0), (False, None))
        self.assertEqual(churn_risk([], TODAY, 100, 0), (False, None))
        # a regular customer still on time can be at risk by spend
        self.assertEqual(churn_risk(days_ago(40, 30, 20), TODAY, 100, 1000), (True, "spend"))

    def test_components(self):
        self.assertEqual(
            [grade_component(grade) for grade in ("A", "B", "C", "D")],
            [100, 75, 50, 25],
        )
        self.assertIsNone(grade_component(False))
        self.assertIsNone(grade_component(""))
        self.assertIsNone(grade_component(None))
        self.assertIsNone(grade_component("E"))
        self.assertEqual(satisfaction_component(80, None), 80)
        self.assertEqual(satisfaction_component(None, 20), 60)
        self.assertEqual(satisfaction_component(None, -100), 0)
        self.assertEqual(satisfaction_component(80, 20), 70)
        self.assertEqual(satisfaction_component(0, 0), 25)
        self.assertIsNone(satisfaction_component(None, None))
        self.assertEqual(complaint_component(0), 100)
        self.assertEqual(complaint_component(2.5), 75)
        self.assertEqual(complaint_component(10), 0)
        self.assertEqual(complaint_component(15), 0)
        self.assertIsNone(complaint_component(None))

    def test_trend_component(self):
        self.assertIsNone(trend_component(0, 0))
        self.assertIsNone(trend_component(None, None))
        self.assertIsNone(trend_component(None, 0))
        self.assertEqual(trend_component(100, 0), 100)
        self.assertEqual(trend_component(100, None), 100)
        self.assertEqual(trend_component(50, 200), 25)
        self.assertEqual(trend_component(0, 200), 0)
        self.assertEqual(trend_component(None, 200), 0)
        self.assertEqual(trend_component(300, 200), 100)
        self.assertEqual(trend_component(200, 200), 100)

    def test_health_score(self):
        components = {"grade": 100, "otif": 90, "satisfaction": 80, "complaints": 70, "trend": 60}
        self.assertEqual(health_score(components, WEIGHTS), 80)
        weights = dict(WEIGHTS, grade=3)  # (300 + 90 + 80 + 70 + 60) / 7 = 85.71
        self.assertEqual(health_score(components, weights), 86)

    def test_health_score_missing_and_zero_weights(self):
        components = {"grade": 100, "otif": None, "satisfaction": None, "complaints": 50, "trend": None}
        self.assertEqual(health_score(components, WEIGHTS), 75)
        # a zero weight leaves the component out, rather than counting as 0
        self.assertEqual(health_score(components, dict(WEIGHTS, complaints=0)), 100)
        # a component without a weight counts for nothing
        self.assertEqual(health_score({"grade": 100, "otif": 0}, {"grade": 1}), 100)
        # a weight without its component is ignored
        self.assertEqual(health_score({"grade": 50, "otif": None}, {"grade": 1, "otif": 5}), 50)

    def test_health_score_none(self):
        none = dict.fromkeys(WEIGHTS)
        self.assertIsNone(health_score(none, WEIGHTS))
        self.assertIsNone(health_score({}, WEIGHTS))
        self.assertIsNone(health_score({"grade": 100, "otif": 90}, dict.fromkeys(WEIGHTS, 0)))
        self.assertIsNone(health_score({"grade": 100}, {}))
        # a score of 0 is a score, not None
        self.assertEqual(health_score({"grade": 0}, WEIGHTS), 0)

    def test_health_score_rounding_and_clamping(self):
        self.assertEqual(health_score({"grade": 50, "otif": 51}, WEIGHTS), 51)  # 50.5 rounds up
        self.assertEqual(health_score({"grade": 50, "otif": 50.98}, WEIGHTS), 50)  # 50.49 rounds down
        self.assertEqual(health_score({"grade": 62.5}, WEIGHTS), 63)  # not banker's rounding (62)
        self.assertEqual(health_score({"grade": 0.5}, WEIGHTS), 1)
        self.assertIsInstance(health_score({"grade": 75}, WEIGHTS), int)
        self.assertEqual(health_score({"otif": 120}, WEIGHTS), 100)
        self.assertEqual(health_score({"otif": -20}, WEIGHTS), 0)
        self.assertEqual(health_score({"grade": 100, "otif": 140}, WEIGHTS), 100)

    def test_health_score_negative_weight(self):
        with self.assertRaises(ValueError):
            health_score({"grade": 100}, dict(WEIGHTS, trend=-1))
        # even when the weighed component is missing
        with self.assertRaises(ValueError):
            health_score({"grade": 100, "trend": None}, {"grade": 1, "trend": -0.5})
