"""The nightly grading cron: bounded batches, resumable, idempotent; and a
recompute that changes nothing writes nothing."""

from datetime import date, datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCommon

TODAY = date(2024, 6, 3)


@freeze_time(datetime(2024, 6, 3, 12, 0, 0))
@tagged("post_install", "-at_install")
class TestGradingCron(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Customers the database may already hold are kept out of the way
        cls._mark_customers_graded(TODAY)
        own = {"company_id": cls.company.id}

        cls.big = cls._create_customer("Big Shipper")
        cls.unsold = cls._create_customer("Classified, no orders")
        cls.holding = Partner.create({"name": "Holding (not classified)", "is_company": True, **own})
        cls.holding_buyer = Partner.create({"name": "Holding Buyer", "parent_id": cls.holding.id, **own})
        cls.walk_in = Partner.create({"name": "Walk-in (not classified)", **own})
        cls.ministry = cls._create_customer("Ministry", customer_type="government", logistics_size="national")
        cls.prospect = Partner.create({"name": "Prospect", "is_company": True, **own})
        with freeze_time(datetime(2023, 9, 1, 10, 0, 0)):
            cls._create_orders(cls.big, [600000.0])
        cls._create_orders(cls.holding_buyer, [20000.0])
        cls._create_orders(cls.walk_in, [5000.0])
        # what the nightly grading covers, in the order it goes through them
        cls.covered = cls.big | cls.unsold | cls.holding | cls.walk_in | cls.ministry
        # graded by their orders (the grading date with them): due tonight
        # as if those gradings were older
        cls.covered._logistics_system_writer().write({"logistics_grade_date": False})
        cls.cron = cls.env.ref("logistics_crm.ir_cron_logistics_recompute_grades")

    def setUp(self):
        super().setUp()
        self.assertEqual(self.covered.mapped("logistics_grade"), ["A", False, "C", "D", False])

    def _run_cron(self, batch_size, progress=None):
        Partner = self.env["res.partner"]
        if progress:
            Partner = Partner.with_context(ir_cron_progress_id=progress.id)
        return Partner._cron_logistics_recompute_grades(batch_size=batch_size)

    def _new_progress(self):
        return self.env["ir.cron.progress"].create({"cron_id": self.cron.id})

    def test_cron_data(self):
        self.assertEqual(self.cron.code.strip(), "model._cron_logistics_recompute_grades()")
        self.assertEqual(self.cron.model_id.model, "res.partner")
        self.assertTrue(self.cron.active)

    def test_batches_and_resume(self):
        progress = self._new_progress()
        self.assertEqual(self._run_cron(2, progress), 2)
        self.assertEqual(self.covered.mapped("logistics_grade_date"), [TODAY, TODAY, False, False, False])
        self.assertRecordValues(progress, [{"done": 2, "remaining": 3}])
        # the classified customer without orders is graded by this first batch
        self.assertEqual(self.unsold.logistics_grade, "D")
        self.assertEqual(self._histories(self.unsold).origin, "computed")
        self.assertFalse(self.ministry.logistics_grade)

        # the second call resumes where the first one stopped
        progress = self._new_progress()
        self.assertEqual(self._run_cron(2, progress), 2)
        self.assertEqual(self.covered.mapped("logistics_grade_date"), [TODAY, TODAY, TODAY, TODAY, False])
        self.assertRecordValues(progress, [{"done": 2, "remaining": 1}])

        progress = self._new_progress()
        self.assertEqual(self._run_cron(2, progress), 1)
        self.assertEqual(self.covered.mapped("logistics_grade_date"), [TODAY] * 5)
        self.assertRecordValues(progress, [{"done": 1, "remaining": 0}])
        self.assertEqual(self.covered.mapped("logistics_grade"), ["A", "D", "C", "D", "D"])
        # the size of the government customer is kept
        self.assertEqual(self.ministry.logistics_size, "national")

        # contacts and partners neither classified nor buying are left alone
        self.assertFalse(self.holding_buyer.logistics_grade_date)
        self.assertFalse(self.prospect.logistics_grade_date)
        self.assertFalse(self.holding_buyer.logistics_grade)
        self.assertFalse(self.prospect.logistics_grade)

        # done for today
        progress = self._new_progress()
        self.assertEqual(self._run_cron(2, progress), 0)
        self.assertRecordValues(progress, [{"done": 0, "remaining": 0}])

    def test_default_batch_size(self):
        self.assertEqual(self.env["res.partner"]._cron_logistics_recompute_grades(), 5)
        self.assertEqual(self.covered.mapped("logistics_grade_date"), [TODAY] * 5)
        self.assertEqual(self.env["res.partner"]._cron_logistics_recompute_grades(), 0)

    def test_rerun_same_day_processes_nothing(self):
        self.assertEqual(self._run_cron(10), 5)
        history_count = self.env["logistics.grade.history"].search_count([])
        message_count = self.env["mail.message"].search_count([])
        with self.assertNoWrites():
            self.assertEqual(self._run_cron(10), 0)
            self.assertEqual(self._run_cron(1), 0)
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count)
        self.assertEqual(self.env["mail.message"].search_count([]), message_count)

    def test_next_day_nothing_changed(self):
        self.assertEqual(self._run_cron(10), 5)
        history_count = self.env["logistics.grade.history"].search_count([])
        message_count = self.env["mail.message"].search_count([])
        tomorrow = TODAY + timedelta(days=1)
        with freeze_time(datetime(2024, 6, 4, 12, 0, 0)):
            self.assertEqual(self._run_cron(3), 3)
            self.assertEqual(self._run_cron(3), 2)
            self.assertEqual(self._run_cron(3), 0)
        self.assertEqual(self.covered.mapped("logistics_grade_date"), [tomorrow] * 5)
        self.assertEqual(self.covered.mapped("logistics_grade"), ["A", "D", "C", "D", "D"])
        # only the grading date was written: no grade change, no history, no note
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count)
        self.assertEqual(self.env["mail.message"].search_count([]), message_count)

    def test_orders_leaving_the_window(self):
        self.assertEqual(self._run_cron(10), 5)
        # the order of the big shipper was confirmed on 2023-09-01 at 10:00,
        # it leaves the trailing 365 days on 2024-08-31 at 10:00 (leap year)
        with freeze_time(datetime(2024, 8, 30, 12, 0, 0)):
            self.assertEqual(self._run_cron(10), 5)
        self.assertEqual(self.big.logistics_annual_spend, 600000.0)
        self.assertEqual(self.big.logistics_grade, "A")
        with freeze_time(datetime(2024, 9, 1, 12, 0, 0)):
            self.assertEqual(self._run_cron(10), 5)
        self.assertEqual(self.big.logistics_annual_spend, 0.0)
        self.assertEqual(self.big.logistics_grade, "D")
        self.assertEqual(self.big.logistics_size, "small")
        self.assertEqual(self.big.logistics_grade_date, date(2024, 9, 1))
        last = self._histories(self.big)[-1]
        self.assertRecordValues(
            last, [{"old_grade": "A", "new_grade": "D", "origin": "computed", "user_id": self.env.user.id}]
        )
        self.assertGradeTracked(self._grade_messages(self.big)[-1], "A", "D")
        self.assertEqual(self.holding.logistics_grade, "C")

    def test_recompute_without_change_writes_nothing(self):
        self.assertEqual(self._run_cron(10), 5)
        # backdate the last write, to see whether anything writes again
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = '2000-01-01 00:00:00' WHERE id = ANY(%s)", [self.covered.ids]
        )
        self.env.invalidate_all()
        history_count = self.env["logistics.grade.history"].search_count([])
        message_count = self.env["mail.message"].search_count([])
        with self.assertNoWrites():
            self.covered._logistics_recompute_grades()
            self.covered.with_user(self.user_specialist).action_logistics_recompute_grade()
            self.holding_buyer.with_user(self.user_specialist).action_logistics_recompute_grade()
        self.assertEqual(set(self.covered.mapped("write_date")), {datetime(2000, 1, 1)})
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count)
        self.assertEqual(self.env["mail.message"].search_count([]), message_count)
        # whereas a real change is written
        self._create_orders(self.walk_in, [6000.0])
        self.assertEqual(self.walk_in.logistics_grade, "C")
        self.assertNotEqual(self.walk_in.write_date, datetime(2000, 1, 1))
        self.assertEqual(self.env["logistics.grade.history"].search_count([]), history_count + 1)
