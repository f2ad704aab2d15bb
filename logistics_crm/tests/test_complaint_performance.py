"""The escalation of complaints costs the same queries for any batch size.

A batch of breached complaints, whatever its size, runs one creation of all
their activities (no assignment mail each), one follow of the supervisors,
one batched log of the breaches in the chatters, one mail listing the
complaints, and one UPDATE of the SLA status and escalation markers; at-risk
complaints get one creation of the owners' activities. A second run on the
same complaints finds nothing to do and writes nothing. The scheduled action
adds the search of its batch and the count of what remains.
"""

from datetime import datetime, timedelta

from odoo.tests import freeze_time, tagged, warmup

from .common import LogisticsCrmCommon

# a Monday
NOW = datetime(2026, 3, 2, 9, 0, 0)
# grade B: first response within 4 hours, at risk after 3 h 12 min
AT_RISK = NOW + timedelta(hours=3, minutes=30)
BREACHED = NOW + timedelta(hours=5)

# one batch of breached complaints, of one company with an escalation user
QUERIES_BREACH = 27
# one batch of complaints at risk, of one owner
QUERIES_RISK = 12
# the same batch again: nothing to escalate, nothing written
QUERIES_AGAIN = 2
# one call of the scheduled action on a full batch of breached complaints:
# the search of the batch, its escalation, the count of what remains
QUERIES_CRON = 28


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestComplaintEscalationPerformance(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_complaint_calendar_id = False
        cls.company.logistics_complaint_escalation_user_id = cls.user_manager
        customer = cls._create_customer(
            "Complaining B", logistics_grade_override="B", logistics_grade_override_reason="Test"
        )
        category = cls.env.ref("logistics_crm.complaint_category_delay")
        with freeze_time(NOW):
            complaints = (
                cls.env["logistics.complaint"]
                .with_user(cls.user_specialist)
                .create([{"partner_id": customer.id, "category_id": category.id} for _index in range(60)])
            )
        # keep the complaints the database may already hold out of the cron batches
        cls.env.cr.execute(
            "UPDATE logistics_complaint SET sla_next_check = NULL WHERE id NOT IN %s", [tuple(complaints.ids)]
        )
        cls.env.flush_all()
        cls.env.invalidate_all()
        cls.batches = {10: complaints[:10].sudo(), 50: complaints[10:].sudo()}

    def _activities(self, complaints):
        return self.env["mail.activity"].search(
            [("res_model", "=", "logistics.complaint"), ("res_id", "in", complaints.ids)]
        )

    def _measure(self, size, expected, now, cron=False):
        """Escalate the batch of ``size`` complaints at ``now`` after a flush
        and a cache invalidation (or, with ``cron``, call the scheduled
        action for a batch of that size), check its query count and return it."""
        batch = self.batches[size]
        if cron:
            batch = self.env["logistics.complaint"]
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(now), self.assertQueryCount(expected):
            count0 = self.cr.sql_log_count
            if cron:
                self.assertEqual(batch._cron_escalate(batch_size=size), size)
            else:
                batch._logistics_escalate_batch(now)
            self.env.flush_all()
            # the pre-commit hooks (as assertQueryCount counts them)
            self.env.cr.flush()
            count = self.cr.sql_log_count - count0
        if self.warm:
            # assertQueryCount only fails on more queries: fewer fail here too
            self.assertEqual(count, expected, f"queries for {size} complaints")
        return count

    @warmup
    def test_escalate_breach(self):
        mails = self.env["mail.mail"].search_count([])
        counts = {size: self._measure(size, QUERIES_BREACH, BREACHED) for size in self.batches}
        for size, batch in self.batches.items():
            self.assertEqual(len(self._activities(batch)), size, "one activity per complaint")
            self.assertEqual(set(self._activities(batch).user_id.ids), {self.user_manager.id})
            self.assertEqual(set(batch.mapped("sla_status")), {"breached"})
            for complaint in batch:
                self.assertIn(self.user_manager.partner_id, complaint.message_partner_ids)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails + 2, "one mail per batch")
        for mail, batch in zip(
            self.env["mail.mail"].search([], order="id desc", limit=2)[::-1], self.batches.values(), strict=True
        ):
            self.assertEqual(mail.recipient_ids, self.user_manager.partner_id, "the escalation user is mailed")
            for complaint in batch:
                self.assertIn(complaint.name, mail.body_html, "the mail lists the complaints of its batch")
        again = {}
        for size in self.batches:
            with self.assertNoWrites():
                again[size] = self._measure(size, QUERIES_AGAIN, BREACHED + timedelta(minutes=5))
            self.assertEqual(len(self._activities(self.batches[size])), size, "no second escalation")
        if self.warm:
            self.assertEqual(counts[10], counts[50], "10 and 50 breached complaints: the same queries")
            self.assertEqual(again[10], again[50])

    @warmup
    def test_escalate_risk(self):
        counts = {size: self._measure(size, QUERIES_RISK, AT_RISK) for size in self.batches}
        for size, batch in self.batches.items():
            self.assertEqual(len(self._activities(batch)), size)
            self.assertEqual(set(self._activities(batch).user_id.ids), {self.user_specialist.id})
            self.assertEqual(set(batch.mapped("sla_status")), {"at_risk"})
        if self.warm:
            self.assertEqual(counts[10], counts[50], "10 and 50 complaints at risk: the same queries")

    @warmup
    def test_cron_batches(self):
        # the first call takes the first 10 complaints, the second the 50 others
        counts = {size: self._measure(size, QUERIES_CRON, BREACHED, cron=True) for size in self.batches}
        for size, batch in self.batches.items():
            self.assertEqual(len(self._activities(batch)), size)
            self.assertEqual(set(batch.mapped("sla_status")), {"breached"})
        if self.warm:
            self.assertEqual(counts[10], counts[50], "cron batches of 10 and 50: the same queries")
