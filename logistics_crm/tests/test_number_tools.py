"""Edge cases of the pure check of the numbers users set (no database needed)."""

from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..tools.numbers import (
    HOURS_MAX,
    MONTHLY_ORDERS_MAX,
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    SPEND_MAX,
    TOO_LARGE,
    VISIT_INTERVAL_DAYS_MAX,
    number_error,
)

NAN = float("nan")
INF = float("inf")


@tagged("post_install", "-at_install")
class TestNumberTools(BaseCase):
    def test_bounds(self):
        self.assertEqual(SPEND_MAX, 10**12)
        self.assertEqual(MONTHLY_ORDERS_MAX, 100_000)
        self.assertEqual(HOURS_MAX, 365 * 24)
        self.assertEqual(VISIT_INTERVAL_DAYS_MAX, 3650)

    def test_valid_values(self):
        # empty values are 0, as the ORM stores them: False, None, ""
        for value in (0, 0.0, -0.0, 1, 2.5, 99.99, 100, 100.0, "0", " 12.5 ", False, None, "", True):
            with self.subTest(value=value):
                self.assertIsNone(number_error(value, 100))

    def test_non_finite(self):
        """NaN is caught although it compares False with everything."""
        for value in (NAN, -NAN, INF, -INF, "nan", "NaN", "inf", "-Infinity", "1e400", Decimal("NaN")):
            with self.subTest(value=value):
                self.assertEqual(number_error(value, 100), NOT_FINITE)
                self.assertEqual(number_error(value, INF), NOT_FINITE)

    def test_negative(self):
        for value in (-1, -0.01, -5e-324, "-3", -(10**400)):
            with self.subTest(value=value):
                self.assertEqual(number_error(value, 100), NEGATIVE)

    def test_too_large(self):
        for value in (100.01, 101, 1e300, "1e6", 10**400):
            with self.subTest(value=value):
                self.assertEqual(number_error(value, 100), TOO_LARGE)
        self.assertEqual(number_error(SPEND_MAX + 1, SPEND_MAX), TOO_LARGE)
        self.assertIsNone(number_error(SPEND_MAX, SPEND_MAX))

    def test_not_a_number(self):
        for value in ("abc", "12 hours", " ", [1], {"a": 1}, object()):
            with self.subTest(value=value):
                self.assertEqual(number_error(value, 100), NOT_A_NUMBER)
