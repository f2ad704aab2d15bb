"""Edge cases of the pure satisfaction arithmetic (no database needed)."""

from odoo.tests import BaseCase, tagged

from ..tools.satisfaction import (
    DETRACTOR,
    PASSIVE,
    PROMOTER,
    csat,
    in_sample,
    is_low_answer,
    nps,
    nps_category,
    response_rate,
)


@tagged("post_install", "-at_install")
class TestSatisfactionTools(BaseCase):
    def test_nps_category_boundaries(self):
        expected = {0: DETRACTOR, 6: DETRACTOR, 7: PASSIVE, 8: PASSIVE, 9: PROMOTER, 10: PROMOTER}
        for score, category in expected.items():
            with self.subTest(score=score):
                self.assertEqual(nps_category(score), category)
        self.assertIs(nps_category(None), False)
        self.assertIs(nps_category(False), False)
        for bad in (-1, 11):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                nps_category(bad)

    def test_nps(self):
        self.assertIsNone(nps([]))
        self.assertIsNone(nps([None, False]))
        self.assertEqual(nps([0, 3, 6]), -100)  # all detractors
        self.assertEqual(nps([9, 10]), 100)  # all promoters
        self.assertEqual(nps([7, 8]), 0)  # all passives
        # 2 promoters, 1 passive, 1 detractor: 50 % - 25 %
        self.assertEqual(nps([10, 9, 7, 0]), 25)
        # 1 promoter, 2 detractors over 3: -33.3 rounds to -33
        self.assertEqual(nps([9, 6, 0]), -33)
        # 0 is a score (a detractor), not a missing answer
        self.assertEqual(nps([0]), -100)

    def test_csat(self):
        self.assertIsNone(csat([]))
        self.assertIsNone(csat([None, 0]))
        self.assertEqual(csat([4, 5]), 100.0)
        self.assertEqual(csat([1, 2, 3]), 0.0)
        self.assertEqual(csat([5, 3, 3]), 33.3)
        self.assertEqual(csat([4, 1]), 50.0)
        with self.assertRaises(ValueError):
            csat([6])

    def test_response_rate(self):
        self.assertIsNone(response_rate(0, 0))
        self.assertEqual(response_rate(0, 4), 0.0)
        self.assertEqual(response_rate(1, 3), 33.3)
        self.assertEqual(response_rate(3, 3), 100.0)

    def test_low_answer(self):
        self.assertTrue(is_low_answer(6, [5, 5]))
        self.assertTrue(is_low_answer(0, []))
        self.assertFalse(is_low_answer(7, [3, 3, 5]))
        self.assertTrue(is_low_answer(10, [5, 2, 5]))
        self.assertTrue(is_low_answer(None, [1]))
        self.assertFalse(is_low_answer(None, [None, 0, 3]))
        self.assertFalse(is_low_answer(None, []))

    def test_sample(self):
        keys = range(1, 2001)
        self.assertTrue(all(in_sample(key, 100) for key in keys))
        self.assertFalse(any(in_sample(key, 0) for key in keys))
        # the same key always gets the same answer
        self.assertEqual([in_sample(key, 30) for key in keys], [in_sample(key, 30) for key in keys])
        # about the rate, over many keys
        share = sum(in_sample(key, 30) for key in keys) / len(keys)
        self.assertGreater(share, 0.25)
        self.assertLess(share, 0.35)
        # a larger rate keeps every key a smaller one kept
        self.assertTrue(all(in_sample(key, 50) for key in keys if in_sample(key, 30)))
