"""Edge cases of the pure SLA arithmetic of complaints (no database needed)."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools.sla import (
    AT_RISK,
    BREACHED,
    MET,
    ON_TRACK,
    combined_status,
    deadline_status,
    paused_hours,
    plain_deadline,
    risk_instant,
    shift_deadline,
    target_hours,
)

START = datetime(2026, 3, 2, 8, 0)
DEADLINE = START + timedelta(hours=10)


@tagged("post_install", "-at_install")
class TestSlaTools(BaseCase):
    def test_status_boundaries(self):
        cases = [
            (START, ON_TRACK),
            (START + timedelta(hours=8), ON_TRACK),  # exactly 20 % left
            (START + timedelta(hours=8, seconds=1), AT_RISK),
            (DEADLINE, AT_RISK),
            (DEADLINE + timedelta(seconds=1), BREACHED),
        ]
        for now, expected in cases:
            with self.subTest(now=now):
                self.assertEqual(deadline_status(now, START, DEADLINE), expected)

    def test_status_when_done(self):
        late = DEADLINE + timedelta(days=3)
        self.assertEqual(deadline_status(late, START, DEADLINE, done_at=DEADLINE), MET)
        self.assertEqual(deadline_status(late, START, DEADLINE, done_at=START + timedelta(hours=1)), MET)
        # a breach stays recorded when the work is done late
        self.assertEqual(deadline_status(late, START, DEADLINE, done_at=DEADLINE + timedelta(minutes=1)), BREACHED)

    def test_status_without_window(self):
        self.assertEqual(deadline_status(START, START, None), ON_TRACK)
        self.assertEqual(deadline_status(START, START, None, done_at=START), MET)
        # an empty window is at risk at once, breached once passed
        self.assertEqual(deadline_status(START, START, START), AT_RISK)
        self.assertEqual(deadline_status(START + timedelta(seconds=1), START, START), BREACHED)

    def test_risk_instant(self):
        instant = risk_instant(START, DEADLINE)
        self.assertEqual(instant, START + timedelta(hours=8))
        self.assertEqual(deadline_status(instant, START, DEADLINE), ON_TRACK)
        self.assertEqual(deadline_status(instant + timedelta(seconds=1), START, DEADLINE), AT_RISK)
        self.assertIsNone(risk_instant(START, None))
        self.assertEqual(risk_instant(DEADLINE, DEADLINE), DEADLINE)
        self.assertEqual(risk_instant(None, DEADLINE), DEADLINE)

    def test_combined(self):
        self.assertEqual(combined_status(MET, MET), MET)
        self.assertEqual(combined_status(MET, ON_TRACK), ON_TRACK)
        self.assertEqual(combined_status(MET, AT_RISK), AT_RISK)
        self.assertEqual(combined_status(BREACHED, MET), BREACHED)
        self.assertEqual(combined_status(AT_RISK, BREACHED), BREACHED)
        self.assertEqual(combined_status(ON_TRACK, AT_RISK), AT_RISK)

    def test_target_hours(self):
        self.assertEqual(target_hours(24, "critical"), 12)
        self.assertEqual(target_hours(5, "critical"), 2.5)
        for severity in ("low", "normal", "high", False):
            self.assertEqual(target_hours(24, severity), 24)
        self.assertEqual(target_hours(0, "critical"), 0)
        self.assertEqual(target_hours(False, "normal"), 0)

    def test_plain_deadline(self):
        self.assertEqual(plain_deadline(START, 2), START + timedelta(hours=2))
        self.assertEqual(plain_deadline(START, 1.5), START + timedelta(minutes=90))
        self.assertIsNone(plain_deadline(START, 0))
        self.assertIsNone(plain_deadline(None, 2))

    def test_pause(self):
        self.assertEqual(paused_hours(START, START + timedelta(hours=3, minutes=30)), 3.5)
        self.assertEqual(paused_hours(START, START), 0.0)
        self.assertEqual(paused_hours(START, START - timedelta(hours=1)), 0.0)
        self.assertEqual(paused_hours(None, START), 0.0)
        self.assertEqual(shift_deadline(DEADLINE, 3.5), DEADLINE + timedelta(hours=3.5))
        self.assertEqual(shift_deadline(DEADLINE, 0), DEADLINE)
        self.assertEqual(shift_deadline(DEADLINE, -1), DEADLINE)
        self.assertIsNone(shift_deadline(None, 3))

    def test_pause_in_working_time(self):
        calls = []

        def plan_hours(hours, start):
            calls.append((hours, start))
            return start + timedelta(days=1)

        self.assertEqual(shift_deadline(DEADLINE, 2, plan_hours), DEADLINE + timedelta(days=1))
        self.assertEqual(calls, [(2, DEADLINE)])
        self.assertEqual(shift_deadline(DEADLINE, 0, plan_hours), DEADLINE)
        self.assertEqual(len(calls), 1)
