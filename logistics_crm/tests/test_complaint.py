"""Complaints: reference, state machine, SLA deadlines (grade, severity,
calendar, pause), links to orders and deliveries, repeat flag and access per
role, as real users of each role."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SPECIALIST, SUPERVISOR, LogisticsCrmCommon

# a Monday
NOW = datetime(2026, 3, 2, 9, 0, 0)
STATES = ("new", "acknowledged", "in_progress", "waiting_customer", "resolved", "closed", "cancelled")
# the way to each state from new
PATHS = {
    "new": (),
    "acknowledged": ("action_acknowledge",),
    "in_progress": ("action_acknowledge", "action_start"),
    "waiting_customer": ("action_acknowledge", "action_start", "action_wait"),
    "resolved": ("action_acknowledge", "action_start", "action_resolve"),
    "closed": ("action_acknowledge", "action_start", "action_resolve", "action_close"),
    "cancelled": ("action_cancel",),
}
ALLOWED = {
    "action_acknowledge": {"new": "acknowledged"},
    "action_start": {"acknowledged": "in_progress", "waiting_customer": "in_progress"},
    "action_wait": {"in_progress": "waiting_customer"},
    "action_resolve": {"in_progress": "resolved"},
    "action_close": {"resolved": "closed"},
    "action_reopen": {"resolved": "in_progress", "closed": "in_progress"},
    "action_cancel": {
        "new": "cancelled",
        "acknowledged": "cancelled",
        "in_progress": "cancelled",
        "waiting_customer": "cancelled",
    },
}


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestComplaint(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_complaint_calendar_id = False
        cls.customers = {
            grade: cls._create_customer(
                f"Complaining {grade}", logistics_grade_override=grade, logistics_grade_override_reason="Test"
            )
            for grade in "ABCD"
        }
        cls.customer = cls.customers["B"]
        cls.customer.email = "claims@complaining-b.example.com"
        cls.other_customer = cls._create_customer("Other Customer")
        cls.category_delay = cls.env.ref("logistics_crm.complaint_category_delay")
        cls.category_damage = cls.env.ref("logistics_crm.complaint_category_damage")
        cls.cause = cls.env.ref("logistics_crm.complaint_cause_service_quality")
        cls.specialist_2 = new_test_user(
            cls.env,
            "lcrm_specialist_2",
            groups=SPECIALIST,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.supervisor_b = new_test_user(
            cls.env,
            "lcrm_supervisor_b",
            groups=SUPERVISOR,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.portal_user = new_test_user(cls.env, "lcrm_complaint_portal", groups="base.group_portal")
        cls.goods = cls.env["product.product"].create({"name": "Pallet", "type": "consu", "list_price": 10.0})

    def _create(self, user=None, **values):
        return (
            self.env["logistics.complaint"]
            .with_user(user or self.user_specialist)
            .create({"partner_id": self.customer.id, "category_id": self.category_delay.id, **values})
        )

    def _run(self, complaint, actions):
        for action in actions:
            if action == "action_resolve":
                complaint.write(
                    {"cause_id": self.cause.id, "liable_party": "carrier", "corrective_action": "Redelivered"}
                )
            getattr(complaint, action)()
        return complaint

    def _delivery(self, customer):
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.goods.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        return order, order.picking_ids

    # ------------------------------------------------------------------
    # the record
    # ------------------------------------------------------------------

    def test_create_defaults(self):
        complaint = self._create(description="<p>Late <script>alert(1)</script>delivery</p>")
        self.assertRegex(complaint.name, r"^CMP/2026/\d{5}$")
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "new",
                    "user_id": self.user_specialist.id,
                    "company_id": self.company.id,
                    "commercial_partner_id": self.customer.id,
                    "date_received": NOW,
                    "first_response_deadline": NOW + timedelta(hours=4),
                    "resolution_deadline": NOW + timedelta(hours=48),
                    "sla_status": "on_track",
                    "is_repeat": False,
                }
            ],
        )
        self.assertNotIn("script", complaint.description)
        other = self._create()
        self.assertNotEqual(other.name, complaint.name)

    def test_owner_account_manager(self):
        """Grade A requires an account manager: the customer's salesperson owns
        its complaints; otherwise the user who files it."""
        key_account = self.customers["A"]
        key_account.user_id = self.user_supervisor
        self.assertEqual(self._create(partner_id=key_account.id).user_id, self.user_supervisor)
        self.customers["C"].user_id = self.user_supervisor
        self.assertEqual(self._create(partner_id=self.customers["C"].id).user_id, self.user_specialist)

    def test_protected_fields(self):
        complaint = self._create()
        with self.assertRaises(AccessError):
            complaint.write({"state": "closed"})
        with self.assertRaises(AccessError):
            complaint.write({"name": "CMP/MINE"})
        for fname, value in (
            ("sla_status", "met"),
            ("resolution_deadline", NOW + timedelta(days=30)),
            ("first_response_date", NOW),
            ("paused_hours", 100.0),
            ("is_repeat", True),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                complaint.write({fname: value})
            with self.subTest(field=fname, create=True), self.assertRaises(AccessError):
                self._create(**{fname: value})
        with self.assertRaises(AccessError):
            self._create(state="closed")
        # a default sent in the context
        with self.assertRaises(AccessError):
            self.env["logistics.complaint"].with_user(self.user_specialist).with_context(
                default_state="resolved"
            ).create({"partner_id": self.customer.id})
        complaint_bis = (
            self.env["logistics.complaint"]
            .with_user(self.user_specialist)
            .with_context(default_sla_status="met", default_resolution_deadline="2030-01-01 00:00:00")
            .create({"partner_id": self.customer.id})
        )
        self.assertEqual(complaint_bis.sla_status, "on_track")
        self.assertEqual(complaint_bis.resolution_deadline, NOW + timedelta(hours=48))
        # a sent reference is replaced by the sequence's
        self.assertRegex(self._create(name="CMP/MINE").name, r"^CMP/2026/\d{5}$")
        copy = complaint.copy()
        self.assertEqual(copy.state, "new")
        self.assertNotEqual(copy.name, complaint.name)

    # ------------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------------

    def test_transitions(self):
        for action, allowed in ALLOWED.items():
            for state in STATES:
                with self.subTest(action=action, state=state):
                    complaint = self._run(self._create(), PATHS[state])
                    self.assertEqual(complaint.state, state)
                    if state in allowed:
                        self._run(complaint, [action])
                        self.assertEqual(complaint.state, allowed[state])
                    else:
                        with self.assertRaisesRegex(UserError, "can become"):
                            getattr(complaint, action)()
                        self.assertEqual(complaint.state, state)

    def test_refused_message_names_states(self):
        complaint = self._create()
        with self.assertRaises(UserError) as caught:
            complaint.action_close()
        message = str(caught.exception)
        self.assertIn(complaint.name, message)
        self.assertIn("New", message)
        self.assertIn("Closed", message)
        self.assertIn("Resolved", message)

    def test_reopen_counts(self):
        complaint = self._run(self._create(), PATHS["closed"])
        self.assertTrue(complaint.resolution_date)
        complaint.action_reopen()
        self.assertRecordValues(complaint, [{"state": "in_progress", "reopen_count": 1, "resolution_date": False}])
        self._run(complaint, ["action_resolve", "action_reopen"])
        self.assertEqual(complaint.reopen_count, 2)

    def test_resolution_requires_cause_liable_and_action(self):
        complaint = self._run(self._create(), PATHS["in_progress"])
        with self.assertRaisesRegex(UserError, "root cause.*liable party.*corrective action"):
            complaint.action_resolve()
        complaint.write({"cause_id": self.cause.id, "liable_party": "company", "corrective_action": "\u200b \n"})
        with self.assertRaisesRegex(UserError, "corrective action"):
            complaint.action_resolve()
        complaint.corrective_action = "Driver retrained"
        complaint.action_resolve()
        self.assertRecordValues(complaint, [{"state": "resolved", "resolution_date": NOW, "sla_status": "met"}])

    # ------------------------------------------------------------------
    # SLA clock
    # ------------------------------------------------------------------

    def test_deadlines_per_grade_and_severity(self):
        targets = {"A": (2, 24), "B": (4, 48), "C": (8, 72), "D": (24, 120)}
        for grade, (first, resolution) in targets.items():
            for severity, divisor in (("low", 1), ("normal", 1), ("high", 1), ("critical", 2)):
                with self.subTest(grade=grade, severity=severity):
                    complaint = self._create(partner_id=self.customers[grade].id, severity=severity)
                    self.assertRecordValues(
                        complaint,
                        [
                            {
                                "first_response_deadline": NOW + timedelta(hours=first / divisor),
                                "resolution_deadline": NOW + timedelta(hours=resolution / divisor),
                            }
                        ],
                    )

    def test_grade_kept_at_filing(self):
        """The complaint keeps the grade its customer had when it was filed
        for it: grouped and filtered by it, unchanged by a later regrade."""
        complaint = self._create(partner_id=self.customers["A"].id)
        self.assertEqual(complaint.customer_grade, "A")
        complaint.partner_id = self.customers["C"]
        self.assertEqual(complaint.customer_grade, "C", "filed for another customer: its grade")
        self.customers["C"].sudo().write({"logistics_grade_override": "B", "logistics_grade_override_reason": "Test"})
        self.env.invalidate_all()
        self.assertEqual(self.customers["C"].logistics_grade, "B")
        self.assertEqual(complaint.customer_grade, "C", "the grade it was filed at")
        self.assertEqual(self._create(partner_id=self.customers["C"].id).customer_grade, "B")
        self.assertFalse(self._create(partner_id=self.other_customer.id).customer_grade)
        Complaint = self.env["logistics.complaint"].with_user(self.user_specialist)
        self.assertIn(complaint, Complaint.search([("customer_grade", "=", "C")]))
        self.assertNotIn(complaint, Complaint.search([("customer_grade", "=", "B")]))
        # only the system sets it
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_supervisor).write({"customer_grade": "A"})

    def test_ungraded_customer_gets_lowest_level(self):
        complaint = self._create(partner_id=self.other_customer.id)
        self.assertEqual(complaint.first_response_deadline, NOW + timedelta(hours=24))

    def test_deadlines_move_before_first_response(self):
        complaint = self._create()
        with freeze_time(NOW + timedelta(minutes=30)):
            complaint.severity = "critical"
        self.assertEqual(complaint.first_response_deadline, NOW + timedelta(hours=2))
        complaint.partner_id = self.customers["A"]
        self.assertEqual(complaint.first_response_deadline, NOW + timedelta(hours=1))
        self.assertEqual(complaint.resolution_deadline, NOW + timedelta(hours=12))
        complaint.action_acknowledge()
        complaint.severity = "low"
        self.assertEqual(complaint.resolution_deadline, NOW + timedelta(hours=12), "fixed once answered")

    def test_deadlines_with_calendar(self):
        calendar = self.env["resource.calendar"].create({"name": "Office hours", "tz": "UTC"})
        self.company.logistics_complaint_calendar_id = calendar
        # Friday 16:00, 8-12 and 13-17 from Monday to Friday
        friday = datetime(2026, 3, 6, 16, 0)
        with freeze_time(friday):
            complaint = self._create()
        self.assertRecordValues(
            complaint,
            [
                {
                    # 1 hour on Friday, 3 on Monday
                    "first_response_deadline": datetime(2026, 3, 9, 11, 0),
                    # 1 + 5 days of 8 hours + 7 hours on the Monday after
                    "resolution_deadline": datetime(2026, 3, 16, 16, 0),
                }
            ],
        )
        # a pause from Monday 14:00 to Tuesday 10:00 is 5 working hours
        with freeze_time(datetime(2026, 3, 9, 10, 0)):
            self._run(complaint, PATHS["in_progress"])
        with freeze_time(datetime(2026, 3, 9, 14, 0)):
            complaint.action_wait()
        with freeze_time(datetime(2026, 3, 10, 10, 0)):
            complaint.action_start()
        self.assertEqual(complaint.paused_hours, 5)
        # Monday 16:00 + 5 working hours: 1 on Monday, 4 on Tuesday morning
        self.assertEqual(complaint.resolution_deadline, datetime(2026, 3, 17, 12, 0))

    def test_handling_hours(self):
        complaint = self._create()
        with freeze_time(NOW + timedelta(hours=1, minutes=30)):
            self._run(complaint, ["action_acknowledge", "action_start"])
        with freeze_time(NOW + timedelta(hours=2)):
            complaint.action_wait()
        with freeze_time(NOW + timedelta(hours=5)):
            complaint.action_start()
        with freeze_time(NOW + timedelta(hours=10)):
            self._run(complaint, ["action_resolve"])
        self.assertRecordValues(complaint, [{"first_response_hours": 1.5, "resolution_hours": 7.0}])
        groups = self.env["logistics.complaint"]._read_group(
            [("id", "in", (complaint | self._create()).ids)], [], ["first_response_hours:avg"]
        )
        self.assertEqual(groups[0][0], 0.75)

    def test_pause_shifts_deadlines(self):
        complaint = self._create()
        with freeze_time(NOW + timedelta(hours=1)):
            self._run(complaint, PATHS["in_progress"])
        self.assertEqual(complaint.first_response_date, NOW + timedelta(hours=1))
        with freeze_time(NOW + timedelta(hours=2)):
            complaint.action_wait()
        self.assertEqual(complaint.waiting_since, NOW + timedelta(hours=2))
        with freeze_time(NOW + timedelta(hours=12, minutes=30)):
            complaint.action_start()
        self.assertRecordValues(
            complaint,
            [
                {
                    "waiting_since": False,
                    "paused_hours": 10.5,
                    "first_response_deadline": NOW + timedelta(hours=4),
                    "resolution_deadline": NOW + timedelta(hours=58, minutes=30),
                    "sla_status": "on_track",
                }
            ],
        )
        # a second pause adds up
        with freeze_time(NOW + timedelta(hours=20)):
            complaint.action_wait()
        with freeze_time(NOW + timedelta(hours=22)):
            complaint.action_start()
        self.assertEqual(complaint.paused_hours, 12.5)
        self.assertEqual(complaint.resolution_deadline, NOW + timedelta(hours=60, minutes=30))
        # resolved within the moved deadline: met
        with freeze_time(NOW + timedelta(hours=60)):
            self._run(complaint, ["action_resolve"])
        self.assertEqual(complaint.sla_status, "met")

    def test_status_at_risk_and_breach_stays(self):
        complaint = self._create()
        # less than 20 % of the 4 hours left
        with freeze_time(NOW + timedelta(hours=3, minutes=30)):
            complaint.action_acknowledge()
        self.assertEqual(complaint.first_response_date, NOW + timedelta(hours=3, minutes=30))
        self.assertEqual(complaint.sla_status, "on_track", "answered in time; resolution window still wide")
        late = self._create()
        with freeze_time(NOW + timedelta(hours=5)):
            late.action_acknowledge()
        self.assertEqual(late.sla_status, "breached")
        with freeze_time(NOW + timedelta(hours=6)):
            self._run(late, ["action_start", "action_resolve"])
        self.assertEqual(late.sla_status, "breached", "a late first response stays a breach")
        risky = self._run(self._create(), PATHS["in_progress"])
        with freeze_time(NOW + timedelta(hours=40)):
            risky.action_wait()
        self.assertEqual(risky.sla_status, "at_risk")

    def test_first_response_by_message(self):
        complaint = self._create()
        complaint.with_user(self.user_specialist).message_post(
            body="Internal: checking with the carrier", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(complaint.first_response_date, "an internal note is no response")
        with freeze_time(NOW + timedelta(hours=1)):
            complaint.with_user(self.user_specialist).message_post(
                body="We are looking into it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertRecordValues(complaint, [{"state": "new", "first_response_date": NOW + timedelta(hours=1)}])
        with freeze_time(NOW + timedelta(hours=2)):
            complaint.action_acknowledge()
        self.assertEqual(complaint.first_response_date, NOW + timedelta(hours=1), "the first one counts")
        # a message of the customer is no response
        other = self._create()
        other.message_post(
            body="Any news?", message_type="comment", subtype_xmlid="mail.mt_comment", author_id=self.customer.id
        )
        self.assertFalse(other.first_response_date)

    def test_customer_notices(self):
        complaint = self._create()
        received = complaint.message_ids.filtered(lambda m: m.message_type == "auto_comment")
        self.assertEqual(len(received), 1)
        self.assertIn(complaint.name, received.subject)
        self.assertEqual(received.partner_ids, self.customer)
        self.assertFalse(complaint.first_response_date, "an automatic notice is no response")
        self._run(complaint, PATHS["resolved"])
        resolved = complaint.message_ids.filtered(lambda m: m.message_type == "auto_comment") - received
        self.assertEqual(len(resolved), 1)
        self.assertIn("resolved", resolved.subject)
        self.assertIn("Redelivered", resolved.body)
        # no address, no notice
        silent = self._create(partner_id=self.other_customer.id)
        self.assertFalse(silent.message_ids.filtered(lambda m: m.message_type == "auto_comment"))

    def test_rating_after_close(self):
        complaint = self._run(self._create(), PATHS["closed"])
        rating = self.env["rating.rating"].search(
            [("res_model", "=", "logistics.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertFalse(rating.consumed)
        request = complaint.message_ids.filtered(lambda m: "how did we handle" in (m.subject or ""))
        self.assertEqual(len(request), 1)
        self.assertIn(f"/rate/{rating.access_token}/5", request.body)
        complaint.rating_apply(5, token=rating.access_token, feedback="Quick and fair")
        self.assertEqual(complaint.rating_last_value, 5)
        groups = self.env["logistics.complaint"]._read_group(
            [("id", "=", complaint.id)], ["category_id"], ["rating_last_value:avg"]
        )
        self.assertEqual(groups, [(self.category_delay, 5.0)])
        # no address, no request
        silent = self._run(self._create(partner_id=self.other_customer.id), PATHS["closed"])
        self.assertFalse(silent.rating_ids)

    def test_report(self):
        complaint = self._create(summary="Crushed pallet", compensation_amount=50.0, compensation_kind="refund")
        with freeze_time(NOW + timedelta(hours=1)):
            self._run(complaint, PATHS["resolved"])
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.user_specialist)
            ._render_qweb_html("logistics_crm.logistics_complaint_report", complaint.ids)
        )
        html = html.decode()
        for text in (complaint.name, "Crushed pallet", "Service Quality", "Carrier or Subcontractor", "Redelivered"):
            self.assertIn(text, html)
        self.assertIn("o_complaint_timeline", html)
        self.assertIn("Refund", html)

    def test_customer_reply_resumes(self):
        complaint = self._run(self._create(), PATHS["waiting_customer"])
        contact = self.env["res.partner"].create(
            {"name": "Warehouse Clerk", "parent_id": self.customer.id, "email": "clerk@complaining-b.example.com"}
        )
        with freeze_time(NOW + timedelta(hours=3)):
            complaint.message_post(
                body="Here are the photos", message_type="email", subtype_xmlid="mail.mt_comment", author_id=contact.id
            )
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "in_progress",
                    "paused_hours": 3,
                    "waiting_since": False,
                    "resolution_deadline": NOW + timedelta(hours=51),
                }
            ],
        )
        # staff messages do not resume it
        complaint.action_wait()
        complaint.with_user(self.user_specialist).message_post(
            body="Reminder", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(complaint.state, "waiting_customer")

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------

    def _activities(self, complaint):
        return self.env["mail.activity"].search(
            [("res_model", "=", "logistics.complaint"), ("res_id", "=", complaint.id)], order="id"
        )

    def test_escalation_once_per_deadline(self):
        self.company.logistics_complaint_escalation_user_id = self.user_manager
        complaint = self._create()
        Complaint = self.env["logistics.complaint"]
        self.assertEqual(complaint.sla_next_check, NOW + timedelta(hours=3, minutes=12))
        with freeze_time(NOW + timedelta(hours=3)):
            Complaint._cron_escalate()
        self.assertFalse(self._activities(complaint))
        self.assertEqual(complaint.sla_status, "on_track")
        for _run in range(2):
            with freeze_time(NOW + timedelta(hours=3, minutes=30)):
                Complaint._cron_escalate()
            activities = self._activities(complaint)
            self.assertEqual(activities.user_id, self.user_specialist, "the owner is warned once")
            self.assertEqual(len(activities), 1)
            self.assertRecordValues(complaint, [{"sla_status": "at_risk", "sla_next_check": NOW + timedelta(hours=4)}])
        with freeze_time(NOW + timedelta(hours=3, minutes=45)), self.assertNoWrites():
            Complaint._cron_escalate()
            self.env.flush_all()
        for _run in range(2):
            with freeze_time(NOW + timedelta(hours=5)):
                Complaint._cron_escalate()
            activities = self._activities(complaint)
            self.assertEqual(len(activities), 2)
            self.assertEqual(activities[1].user_id, self.user_manager)
            self.assertIn(self.user_manager.partner_id, complaint.message_partner_ids)
            self.assertRecordValues(complaint, [{"sla_status": "breached", "sla_next_check": False}])
        mailed = complaint.message_ids.filtered(lambda m: self.user_manager.partner_id in m.partner_ids)
        self.assertEqual(len(mailed), 1, "the escalation user is mailed once")
        # answered: the resolution deadline is watched next, with its own escalations
        with freeze_time(NOW + timedelta(hours=6)):
            self._run(complaint, ["action_acknowledge", "action_start"])
        self.assertEqual(complaint.sla_next_check, NOW + timedelta(hours=48 - 9.6))
        with freeze_time(NOW + timedelta(hours=40)):
            Complaint._cron_escalate()
        self.assertEqual(len(self._activities(complaint)), 3)
        self.assertEqual(complaint.sla_status, "breached", "the first breach stays")

    def test_escalation_to_supervisors(self):
        complaint = self._create()
        with freeze_time(NOW + timedelta(hours=5)):
            self.env["logistics.complaint"]._cron_escalate()
        users = self._activities(complaint).user_id
        self.assertIn(self.user_supervisor, users)
        self.assertNotIn(self.user_specialist, users, "straight to breach: no warning of the owner")
        self.assertNotIn(self.supervisor_b, users, "another company's supervisor")
        self.assertNotIn(self.env.ref("base.user_root"), users)

    def test_no_escalation_while_waiting(self):
        complaint = self._run(self._create(), PATHS["waiting_customer"])
        self.assertFalse(complaint.sla_next_check)
        with freeze_time(NOW + timedelta(days=10)):
            self.env["logistics.complaint"]._cron_escalate()
        self.assertFalse(self._activities(complaint))
        self.assertEqual(complaint.sla_status, "on_track")

    # ------------------------------------------------------------------
    # email intake
    # ------------------------------------------------------------------

    def _incoming(self, sender, subject, body, message_id, in_reply_to=None):
        headers = [
            f"From: {sender}",
            "To: complaints@logistics.example.com",
            f"Subject: {subject}",
            f"Message-ID: <{message_id}@mail.example.com>",
        ]
        if in_reply_to:
            headers.append(f"In-Reply-To: <{in_reply_to}@mail.example.com>")
        raw = "\n".join([*headers, "Content-Type: text/plain; charset=utf-8", "", body, ""])
        return self.env["mail.thread"].message_process("logistics.complaint", raw)

    def test_email_from_known_sender(self):
        complaint_id = self._incoming(
            "Claims <claims@complaining-b.example.com>", "Crushed pallet", "The pallet arrived crushed.", "first"
        )
        complaint = self.env["logistics.complaint"].browse(complaint_id)
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": self.customer.id,
                    "channel": "email",
                    "summary": "Crushed pallet",
                    "needs_triage": False,
                    "user_id": False,
                    "first_response_deadline": NOW + timedelta(hours=4),
                }
            ],
        )
        self.assertRegex(complaint.name, r"^CMP/2026/\d{5}$")
        self.assertIn("arrived crushed", complaint.description)
        # the reply of the customer lands on the thread and resumes the complaint
        complaint.user_id = self.user_specialist
        self._run(complaint.with_user(self.user_specialist), PATHS["waiting_customer"])
        with freeze_time(NOW + timedelta(hours=2)):
            self.assertEqual(
                self._incoming(
                    "claims@complaining-b.example.com", "Re: Crushed pallet", "Photos attached.", "reply", "first"
                ),
                complaint.id,
            )
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.paused_hours, 2)
        self.assertIn("Photos attached", complaint.message_ids[:1].body + "".join(complaint.message_ids.mapped("body")))

    def test_email_default_owner(self):
        self.company.logistics_complaint_default_user_id = self.specialist_2
        complaint = self.env["logistics.complaint"].browse(
            self._incoming("claims@complaining-b.example.com", "Broken seal", "The seal was broken.", "owner")
        )
        self.assertEqual(complaint.user_id, self.specialist_2)
        # filed by staff: theirs
        self.assertEqual(self._create().user_id, self.user_specialist)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_message_new_called_directly(self):
        """message_new is public: called over RPC it sets no system field and
        needs the right to file complaints."""
        msg = {"email_from": "stranger@nowhere.example.com", "subject": "Direct", "body": "<p>Hi</p>"}
        complaint = (
            self.env["logistics.complaint"]
            .with_user(self.user_specialist)
            .message_new(msg, {"sla_status": "met", "state": "closed", "first_response_date": NOW})
        )
        self.assertRecordValues(
            complaint, [{"sla_status": "on_track", "state": "new", "first_response_date": False, "needs_triage": True}]
        )
        for user in (self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["logistics.complaint"].with_user(user).message_new(msg)

    def test_email_from_unknown_sender(self):
        complaint = self.env["logistics.complaint"].browse(
            self._incoming("stranger@nowhere.example.com", "Where is my parcel?", "No news for a week.", "unknown")
        )
        self.assertRecordValues(
            complaint,
            [{"partner_id": False, "needs_triage": True, "email_from": "stranger@nowhere.example.com"}],
        )
        # triaged: the customer set, the flag goes and the deadlines follow it
        complaint.with_user(self.user_specialist).partner_id = self.customers["A"]
        self.assertRecordValues(
            complaint,
            [{"needs_triage": False, "first_response_deadline": NOW + timedelta(hours=2)}],
        )
        # staff cannot file a complaint without customer, nor flag one for triage
        with self.assertRaisesRegex(ValidationError, "needs the customer"):
            self.env["logistics.complaint"].with_user(self.user_specialist).create({"summary": "Nobody"})
        with self.assertRaises(AccessError):
            self.env["logistics.complaint"].with_user(self.user_specialist).create({"needs_triage": True})
        with self.assertRaises(ValidationError):
            complaint.with_user(self.user_specialist).partner_id = False

    def test_email_forwarded_by_staff_needs_triage(self):
        """A mail from one of our users (a customer's mail forwarded): the
        sender is no customer, someone must say who complains."""
        sender = self.user_specialist.partner_id
        # the test users share an address: this one is the specialist's alone
        sender.email = "specialist@logistics.example.com"
        complaint = self.env["logistics.complaint"].browse(
            self._incoming(sender.email_formatted, "Fwd: crushed pallet", "See the customer's mail below.", "fwd")
        )
        self.assertRecordValues(
            complaint,
            [{"partner_id": False, "needs_triage": True, "channel": "email", "first_response_date": False}],
        )
        self.assertEqual(complaint.message_ids.filtered(lambda m: m.message_type == "email").author_id, sender)
        # a portal user's mail is a customer's
        portal_partner = self.portal_user.partner_id
        portal_partner.write({"parent_id": self.customer.id, "email": "portal@complaining-b.example.com"})
        complaint = self.env["logistics.complaint"].browse(
            self._incoming(portal_partner.email_formatted, "Crushed pallet", "It arrived crushed.", "portal")
        )
        self.assertRecordValues(complaint, [{"partner_id": portal_partner.id, "needs_triage": False}])

    def test_email_reply_on_thread(self):
        """The sender follows the complaint (the staff's answers reach them);
        their reply lands on its thread, as theirs, and files nothing new."""
        contact = self.env["res.partner"].create(
            {"name": "Jane Shipper", "parent_id": self.customer.id, "email": "jane@complaining-b.example.com"}
        )
        complaint = self.env["logistics.complaint"].browse(
            self._incoming("Jane Shipper <jane@complaining-b.example.com>", "Late", "Two days late.", "late")
        )
        self.assertEqual(complaint.partner_id, contact)
        self.assertIn(contact, complaint.message_partner_ids)
        first = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(first), 1)
        self.assertEqual(first.author_id, contact)
        count = self.env["logistics.complaint"].search_count([])
        self.assertEqual(
            self._incoming("jane@complaining-b.example.com", "Re: Late", "Still nothing.", "late-2", "late"),
            complaint.id,
        )
        self.assertEqual(self.env["logistics.complaint"].search_count([]), count)
        reply = complaint.message_ids.filtered(lambda m: m.message_type == "email") - first
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.author_id, contact)
        self.assertIn("Still nothing", reply.body)

    def test_customer_mails_from_company(self):
        """The acknowledgement and the resolution mail come from the company
        (not from whoever or whatever filed the complaint) and reach the
        customer; they are no response of the staff."""
        self.company.email = "claims@logistics.example.com"
        company_partner = self.company.partner_id
        emailed = self.env["logistics.complaint"].browse(
            self._incoming("claims@complaining-b.example.com", "Wet boxes", "The boxes were wet.", "wet")
        )
        # by the mail gateway, and by a specialist
        for complaint in (emailed, self._create()):
            with self.subTest(channel=complaint.channel):
                ack = complaint.message_ids.filtered(lambda m: m.message_type == "auto_comment")
                self.assertEqual(len(ack), 1)
                self.assertIn(complaint.name, ack.subject)
                self.assertEqual(ack.author_id, company_partner)
                self.assertEqual(ack.email_from, company_partner.email_formatted)
                self.assertIn(self.customer, ack.notified_partner_ids)
                self.assertFalse(complaint.first_response_date)
        received = complaint.message_ids.filtered(lambda m: m.message_type == "auto_comment")
        self._run(complaint, PATHS["resolved"])
        resolved = complaint.message_ids.filtered(lambda m: m.message_type == "auto_comment") - received
        self.assertEqual(len(resolved), 1)
        self.assertRecordValues(resolved, [{"author_id": company_partner.id}])
        self.assertIn(self.customer, resolved.notified_partner_ids)
        # a company without an address: from the user at work
        self.company.email = False
        complaint = self._create()
        ack = complaint.message_ids.filtered(lambda m: m.message_type == "auto_comment")
        self.assertEqual(ack.author_id, self.user_specialist.partner_id)
        self.assertIn(self.customer, ack.notified_partner_ids)

    # ------------------------------------------------------------------
    # orders and deliveries
    # ------------------------------------------------------------------

    def test_delivery_fills_order_and_customer(self):
        order, picking = self._delivery(self.customer)
        self.assertEqual(len(picking), 1)
        complaint = self.env["logistics.complaint"].with_user(self.user_specialist).create({"picking_id": picking.id})
        self.assertRecordValues(complaint, [{"sale_order_id": order.id, "partner_id": self.customer.id}])
        by_order = self.env["logistics.complaint"].with_user(self.user_specialist).create({"sale_order_id": order.id})
        self.assertEqual(by_order.partner_id, self.customer)
        # the onchange of the form does the same
        form_complaint = self.env["logistics.complaint"].new({"picking_id": picking.id})
        form_complaint._onchange_picking_id()
        self.assertEqual(form_complaint.sale_order_id, order)
        self.assertEqual(form_complaint.partner_id, self.customer)

    def test_other_customers_documents_refused(self):
        other_order, other_picking = self._delivery(self.other_customer)
        order, picking = self._delivery(self.customer)
        with self.assertRaisesRegex(ValidationError, "not an order of"):
            self._create(sale_order_id=other_order.id)
        with self.assertRaisesRegex(ValidationError, "not a delivery of"):
            self._create(picking_id=other_picking.id, partner_id=self.customer.id)
        with self.assertRaisesRegex(ValidationError, "belongs to the order"):
            self._create(picking_id=picking.id, sale_order_id=self._delivery(self.customer)[0].id)
        complaint = self._create(sale_order_id=order.id)
        with self.assertRaises(ValidationError):
            complaint.sale_order_id = other_order
        with self.assertRaises(ValidationError):
            complaint.picking_id = other_picking
        complaint.picking_id = picking
        self.assertEqual(complaint.sale_order_id, order)

    # ------------------------------------------------------------------
    # compensation
    # ------------------------------------------------------------------

    def test_compensation_within_discretion(self):
        self.assertEqual(self.company.logistics_compensation_rate, 10.0)
        self.assertEqual(self.company.logistics_compensation_fixed_limit, 100.0)
        order = self._create_orders(self.customer, [1000.0])
        complaint = self._create(sale_order_id=order.id)
        self.assertRecordValues(complaint, [{"compensation_state": "none", "compensation_limit": 100.0}])
        complaint.write({"compensation_amount": 100.0, "compensation_kind": "refund"})
        self.assertEqual(complaint.compensation_state, "granted")
        complaint.compensation_amount = 100.01
        self.assertEqual(complaint.compensation_state, "to_approve")
        # without an order: the fixed amount
        complaint.sale_order_id = False
        self.assertEqual(complaint.compensation_limit, 100.0)
        self.company.logistics_compensation_fixed_limit = 150.0
        complaint.compensation_amount = 150.0
        self.assertEqual(complaint.compensation_state, "granted")
        complaint.compensation_amount = 0.0
        self.assertEqual(complaint.compensation_state, "none")
        self.assertEqual(
            self._create(compensation_amount=150.01, compensation_kind="other").compensation_state, "to_approve"
        )
        with self.assertRaisesRegex(ValidationError, "what kind of compensation"):
            self._create(compensation_amount=10.0)
        with self.assertRaisesRegex(ValidationError, "one line"):
            self._create(summary="x" * 201)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_compensation_approval(self):
        complaint = self._run(self._create(), PATHS["in_progress"])
        complaint.write({"compensation_amount": 500.0, "compensation_kind": "credit_note"})
        self.assertEqual(complaint.compensation_state, "to_approve")
        with self.assertRaisesRegex(UserError, "waits for a manager's approval"):
            self._run(complaint, ["action_resolve"])
        for user in (self.user_specialist, self.user_supervisor):
            with self.subTest(user=user.login):
                for action in ("action_approve_compensation", "action_refuse_compensation"):
                    with self.assertRaises(AccessError):
                        getattr(complaint.with_user(user), action)()
                with self.assertRaises(AccessError):
                    complaint.with_user(user).write({"compensation_state": "approved"})
                with self.assertRaises(AccessError):
                    complaint.with_user(user).write({"compensation_approved_amount": 1000.0})
        self.assertEqual(complaint.compensation_state, "to_approve")
        complaint.with_user(self.user_manager).action_approve_compensation()
        self.assertRecordValues(complaint, [{"compensation_state": "approved", "compensation_approved_amount": 500.0}])
        with self.assertRaisesRegex(UserError, "does not wait for approval"):
            complaint.with_user(self.user_manager).action_refuse_compensation()
        # lowering keeps the approval, raising asks again
        complaint.compensation_amount = 400.0
        self.assertEqual(complaint.compensation_state, "approved")
        complaint.compensation_amount = 600.0
        self.assertRecordValues(complaint, [{"compensation_state": "to_approve", "compensation_approved_amount": 0}])
        complaint.with_user(self.user_manager).action_refuse_compensation()
        self.assertEqual(complaint.compensation_state, "refused")
        self._run(complaint, ["action_resolve"])
        self.assertEqual(complaint.state, "resolved")

    def test_compensation_numbers_refused(self):
        complaint = self._create()
        for value in (float("nan"), float("inf"), -1.0, 1e13):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                complaint.compensation_amount = value
        with self.assertRaises(ValidationError):
            self.env["logistics.complaint"].with_user(self.user_specialist).with_context(
                default_compensation_amount=float("nan")
            ).create({"partner_id": self.customer.id})

    def test_counts_and_views_from_documents(self):
        order, picking = self._delivery(self.customer)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        self._create(picking_id=picking.id)
        self._run(self._create(partner_id=contact.id, sale_order_id=order.id), PATHS["closed"])
        self._create(partner_id=self.other_customer.id)
        customer = self.customer.with_user(self.user_specialist)
        self.assertRecordValues(
            customer | contact.with_user(self.user_specialist),
            [{"logistics_complaint_count": 2, "logistics_open_complaint_count": 1}] * 2,
        )
        self.assertEqual(order.logistics_complaint_count, 2)
        self.assertEqual(order.logistics_open_complaint_count, 1)
        self.assertEqual(picking.logistics_complaint_count, 1)
        action = customer.action_logistics_view_complaints()
        self.assertEqual(self.env["logistics.complaint"].search(action["domain"]).commercial_partner_id, self.customer)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        action = picking.action_logistics_view_complaints()
        new = (
            self.env["logistics.complaint"].with_user(self.user_specialist).with_context(**action["context"]).create({})
        )
        self.assertRecordValues(
            new, [{"picking_id": picking.id, "sale_order_id": order.id, "partner_id": self.customer.id}]
        )

    # ------------------------------------------------------------------
    # repeat complaints
    # ------------------------------------------------------------------

    def test_repeat_flag(self):
        with freeze_time(NOW - timedelta(days=100)):
            self._create()
        first = self._create()
        self.assertFalse(first.is_repeat, "the earlier one is more than 90 days old")
        with freeze_time(NOW + timedelta(days=90)):
            second, other_category = self._create() | self._create(category_id=self.category_damage.id)
        self.assertTrue(second.is_repeat)
        self.assertFalse(other_category.is_repeat)
        with freeze_time(NOW + timedelta(days=10)):
            contact = self.env["res.partner"].create({"name": "Contact", "parent_id": self.customer.id})
            batch = (
                self.env["logistics.complaint"]
                .with_user(self.user_specialist)
                .create(
                    [{"partner_id": self.other_customer.id, "category_id": self.category_delay.id}] * 2
                    + [{"partner_id": contact.id, "category_id": self.category_damage.id}]
                )
            )
        self.assertEqual(batch.mapped("is_repeat"), [False, True, False])
        cancelled = self._create(partner_id=self.customers["C"].id)
        cancelled.action_cancel()
        self.assertFalse(self._create(partner_id=self.customers["C"].id).is_repeat, "cancelled ones do not count")
        # the filter (of this test's customers: a demo database has repeats of its own)
        customers = self.other_customer.union(*self.customers.values())
        repeats = self.env["logistics.complaint"].search(
            [("is_repeat", "=", True), ("commercial_partner_id", "in", customers.ids)]
        )
        self.assertEqual(repeats, second | batch[1])

    def test_repeat_flag_in_batch(self):
        """The flag of many complaints costs the queries of one."""
        customers = [self.other_customer, *self.customers.values()]
        Complaint = self.env["logistics.complaint"]
        complaints = Complaint.create(
            [
                {"partner_id": customer.id, "category_id": category.id}
                for customer in customers
                for category in (self.category_delay, self.category_damage)
            ]
            * 2
        )
        self.assertEqual(complaints.mapped("is_repeat"), [False] * 10 + [True] * 10)
        counts = []
        for batch in (complaints[:1], complaints):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch._compute_is_repeat()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertTrue(counts[0], "recomputed")
        self.assertEqual(counts[0], counts[1], "as many queries for 20 complaints as for 1")
        self.assertEqual(complaints.mapped("is_repeat"), [False] * 10 + [True] * 10)

    # ------------------------------------------------------------------
    # access
    # ------------------------------------------------------------------

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_access_per_role(self):
        mine = self._create()
        theirs = self._create(user=self.specialist_2)
        self.assertEqual(theirs.user_id, self.specialist_2)
        Complaint = self.env["logistics.complaint"]
        # specialists read every complaint of their company and work on their own
        found = Complaint.with_user(self.user_specialist).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(found, mine | theirs)
        theirs.with_user(self.user_specialist).read(["name", "state", "description"])
        mine.with_user(self.user_specialist).severity = "high"
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_specialist).severity = "high"
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_specialist).action_acknowledge()
        self.assertEqual(theirs.state, "new")
        with self.assertRaises(AccessError):
            mine.with_user(self.user_specialist).unlink()
        # they may post in the chatter of any complaint they read
        theirs.with_user(self.user_specialist).message_post(body="Seen it too", message_type="comment")
        # supervisors manage all of their company's
        theirs.with_user(self.user_supervisor).action_acknowledge()
        theirs.with_user(self.user_supervisor).user_id = self.user_specialist
        theirs.with_user(self.user_specialist).action_start()
        mine.with_user(self.user_supervisor).unlink()
        # internal users without a Logistics CRM role see none
        with self.assertRaises(AccessError):
            Complaint.with_user(self.user_internal).search([])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_multi_company(self):
        customer_b = self._create_customer("Customer of B", company_id=self.company_b.id)
        complaint_b = (
            self.env["logistics.complaint"]
            .with_user(self.supervisor_b)
            .create({"partner_id": customer_b.id, "company_id": self.company_b.id})
        )
        self.assertEqual(complaint_b.company_id, self.company_b)
        complaint_a = self._create()
        for user in (self.user_specialist, self.user_supervisor, self.user_admin):
            with self.subTest(user=user.login):
                visible = self.env["logistics.complaint"].with_user(user).search([])
                self.assertIn(complaint_a, visible)
                self.assertNotIn(complaint_b, visible)
                with self.assertRaises(AccessError):
                    complaint_b.with_user(user).read(["name"])
        self.assertNotIn(complaint_a, self.env["logistics.complaint"].with_user(self.supervisor_b).search([]))
        # a customer of another company is refused
        with self.assertRaises(UserError):
            self._create(partner_id=customer_b.id)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_categories_and_causes_configured_by_admins(self):
        for model in ("logistics.complaint.category", "logistics.complaint.cause"):
            with self.subTest(model=model):
                records = self.env[model]
                self.assertTrue(records.with_user(self.user_specialist).search([]))
                for user in (self.user_specialist, self.user_supervisor, self.user_manager):
                    with self.assertRaises(AccessError):
                        records.with_user(user).create({"name": "Invented"})
                record = records.with_user(self.user_admin).create({"name": "Invented"})
                record.with_user(self.user_admin).name = "Renamed"
                record.with_user(self.user_admin).unlink()
        self.assertEqual(len(self.env["logistics.complaint.category"].search([])), 9)
        self.assertEqual(len(self.env["logistics.complaint.cause"].search([])), 5)
