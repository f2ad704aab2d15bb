"""Satisfaction surveys after delivery: the questionnaire, sending on
validation with each rule, sending by hand, expiry, the answers recorded,
the low-answer follow-up and the complaint made from a survey."""

from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.satisfaction import in_sample
from .common import SPECIALIST, SUPERVISOR
from .survey_common import HAPPY, LogisticsSurveyCommon

NOW = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSurvey(LogisticsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "lcrm_survey_sales", groups=f"{SPECIALIST},sales_team.group_sale_salesman"
        )
        cls.customer, cls.contact = cls._create_shipper("Survey Shipper", user_id=cls.salesperson.id)

    def test_questionnaire(self):
        questions = self.questionnaire.question_ids
        self.assertEqual(
            sorted(questions.mapped("logistics_dimension")),
            sorted(
                [
                    "overall",
                    "timeliness",
                    "condition",
                    "accuracy",
                    "attitude",
                    "price",
                    "communication",
                    "recommend",
                    "comment",
                ]
            ),
        )
        for question in questions.filtered(lambda q: q.logistics_dimension not in ("recommend", "comment")):
            self.assertEqual((question.question_type, question.scale_min, question.scale_max), ("scale", 1, 5))
        recommend = questions.filtered(lambda q: q.logistics_dimension == "recommend")
        self.assertEqual((recommend.scale_min, recommend.scale_max), (0, 10))
        self.assertEqual(self.questionnaire.access_mode, "token")
        self.assertFalse(self.questionnaire.is_attempts_limited)

    def test_sent_on_validation(self):
        picking = self._order_delivery(self.contact)
        self.assertFalse(self._surveys(self.customer))
        self._validate(picking)
        survey = self._surveys(self.customer)
        self.assertRecordValues(
            survey,
            [
                {
                    "state": "sent",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "picking_id": picking.id,
                    "sale_order_id": picking.sale_id.id,
                    "sent_date": NOW,
                    "deadline": NOW + timedelta(days=14),
                }
            ],
        )
        answer = survey.user_input_id.sudo()
        self.assertEqual(answer.survey_id, self.questionnaire)
        self.assertEqual(answer.partner_id, self.contact)
        self.assertEqual(answer.deadline, NOW + timedelta(days=14))
        self.assertGreaterEqual(len(answer.access_token), 32)
        self.assertIn(answer.access_token, survey.survey_url)
        mail = self.env["mail.mail"].search([("model", "=", "logistics.survey"), ("res_id", "=", survey.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertIn(answer.access_token, str(mail.body_html))

    def test_invitation_in_partner_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("logistics_crm.mail_template_survey_invitation")
        template.with_context(lang="fr_FR").subject = "Votre livraison"
        self.contact.lang = "fr_FR"
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        mail = self.env["mail.mail"].search([("model", "=", "logistics.survey"), ("res_id", "=", survey.id)])
        self.assertEqual(mail.subject, "Votre livraison")

    def test_not_twice_for_a_delivery(self):
        picking = self._order_delivery(self.contact)
        self._validate(picking)
        self.company.logistics_survey_throttle_days = 0
        # the same delivery again (a retry of the validation)
        self.env["logistics.survey"]._logistics_create_for_pickings(picking)
        self.assertEqual(len(self._surveys(self.customer)), 1)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["logistics.survey"]._logistics_system_writer().create(
                {"company_id": self.company.id, "partner_id": self.customer.id, "picking_id": picking.id}
            )

    def test_backorder_and_return(self):
        self.company.logistics_survey_throttle_days = 0
        picking = self._order_delivery(self.contact, qty=4)
        self._validate(picking, qty=1)
        backorder = picking.backorder_ids
        self.assertTrue(backorder)
        self.assertEqual(self._surveys(self.customer).picking_id, picking)
        self._validate(backorder)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(len(self._surveys(self.customer)), 1, "the backorder is the same delivery")
        wizard = Form(self.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking"))
        wizard = wizard.save()
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self._validate(returned)
        self.assertEqual(returned.state, "done")
        self.assertEqual(len(self._surveys(self.customer)), 1, "a return is not surveyed")

    def test_throttle(self):
        self._validate(self._order_delivery(self.contact))
        self._validate(self._order_delivery(self.contact))
        self.assertEqual(len(self._surveys(self.customer)), 1, "one invitation within 30 days")
        with freeze_time(NOW + timedelta(days=29)):
            self._validate(self._order_delivery(self.customer))
        self.assertEqual(len(self._surveys(self.customer)), 1)
        with freeze_time(NOW + timedelta(days=31)):
            self._validate(self._order_delivery(self.customer))
        self.assertEqual(len(self._surveys(self.customer)), 2)
        # two deliveries of a customer validated together: one invitation
        other, contact = self._create_shipper("Twin Shipper")
        self._validate(self._order_delivery(contact) | self._order_delivery(contact))
        self.assertEqual(len(self._surveys(other)), 1)

    def test_sample_rate(self):
        self.company.logistics_survey_throttle_days = 0
        self.company.logistics_survey_sample_rate = 0.0
        self._validate(self._order_delivery(self.contact))
        self.assertFalse(self._surveys(self.customer))
        self.company.logistics_survey_sample_rate = 50.0
        pickings = self.env["stock.picking"]
        for _index in range(12):
            pickings |= self._order_delivery(self.contact)
        self._validate(pickings)
        expected = pickings.filtered(lambda p: in_sample(p.id, 50.0))
        self.assertTrue(expected and expected != pickings, "the sample takes some and leaves some")
        self.assertEqual(self._surveys(self.customer).picking_id, expected)
        # a retry never flips the decision
        self.env["logistics.survey"]._logistics_create_for_pickings(pickings)
        self.assertEqual(self._surveys(self.customer).picking_id, expected)

    def test_grades(self):
        self.company.logistics_survey_grade_d = False
        picking = self._order_delivery(self.contact)
        # confirming the order graded the customer
        self.assertEqual(self.customer.logistics_grade, "D")
        self._validate(picking)
        self.assertFalse(self._surveys(self.customer), "grade D customers are not surveyed")
        self.company.logistics_survey_grade_d = True
        self._validate(self._order_delivery(self.contact))
        self.assertEqual(self._surveys(self.customer).customer_grade, "D")
        self.assertTrue(self.company._logistics_survey_grade_selected(False))
        self.company.logistics_survey_grade_none = False
        self.assertFalse(self.company._logistics_survey_grade_selected(False))

    def test_disabled(self):
        new_company = self.env["res.company"].create({"name": "Just Installed Logistics"})
        self.assertFalse(new_company.logistics_survey_enabled, "off until an administrator turns it on")
        self.assertTrue(new_company.logistics_survey_id, "the questionnaire is ready")
        self.company.logistics_survey_enabled = False
        self._validate(self._order_delivery(self.contact))
        self.assertFalse(self._surveys(self.customer))

    def test_delay(self):
        self.company.logistics_survey_delay_hours = 2.0
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        self.assertRecordValues(
            survey, [{"state": "scheduled", "scheduled_date": NOW + timedelta(hours=2), "user_input_id": False}]
        )
        Survey = self.env["logistics.survey"]
        with freeze_time(NOW + timedelta(hours=1)):
            self.assertEqual(Survey._cron_send_scheduled(), 0)
        with freeze_time(NOW + timedelta(hours=3)):
            self.assertEqual(Survey._cron_send_scheduled(), 1)
            self.assertEqual(Survey._cron_send_scheduled(), 0)
        self.assertEqual(survey.state, "sent")
        self.assertTrue(survey.user_input_id)
        # the throttle counts the scheduled invitation too
        self.company.logistics_survey_delay_hours = 0.0
        self._validate(self._order_delivery(self.contact))
        self.assertEqual(len(self._surveys(self.customer)), 1)

    def test_expiry(self):
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        Survey = self.env["logistics.survey"]
        with freeze_time(NOW + timedelta(days=13)):
            self.assertEqual(Survey._cron_expire(), 0)
        with freeze_time(NOW + timedelta(days=14, hours=1)):
            self.assertEqual(Survey._cron_expire(), 1)
        self.assertEqual(survey.state, "expired")
        self.assertLess(survey.user_input_id.sudo().deadline, NOW + timedelta(days=14, hours=1))
        self.assertEqual(self.customer.logistics_survey_count, 1)
        self.assertEqual(self.customer.logistics_survey_response_rate, 0.0)

    def test_answer_recorded(self):
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        self._answer(survey, HAPPY, comment="Friendly driver")
        self.assertRecordValues(
            survey,
            [
                {
                    "state": "answered",
                    "answered_date": NOW,
                    "csat_score": 5,
                    "nps_score": 10,
                    "nps_category": "promoter",
                    "score_timeliness": 5,
                    "score_condition": 4,
                    "score_accuracy": 5,
                    "score_attitude": 4,
                    "score_price": 4,
                    "score_communication": 5,
                    "comment": "Friendly driver",
                    "is_low": False,
                    "csat_percent": 100.0,
                    "nps_value": 100.0,
                    "csat_target": 85.0,
                }
            ],
        )
        self.assertFalse(survey.activity_ids, "no follow-up of a happy customer")
        self.assertRecordValues(
            self.customer,
            [
                {
                    "logistics_csat": 100.0,
                    "logistics_nps": 100.0,
                    "logistics_survey_response_rate": 100.0,
                    "logistics_survey_count": 1,
                }
            ],
        )

    def test_analysis_counts_zeros(self):
        """A dissatisfied answer counts 0 % in the CSAT, a passive 0 in the
        NPS and a recommendation of 0 as 0: stored as zeros (not left
        empty), so that the averages of the analysis count them."""
        other, other_contact = self._create_shipper("Unhappy Shipper", user_id=self.salesperson.id)
        passive, passive_contact = self._create_shipper("Passive Shipper", user_id=self.salesperson.id)
        self._validate(self._order_delivery(self.contact) | self._order_delivery(other_contact))
        self._validate(self._order_delivery(passive_contact))
        self._answer(self._surveys(self.customer), HAPPY)
        self._answer(self._surveys(other), {**HAPPY, "overall": 2, "recommend": 0})
        self._answer(self._surveys(passive), {**HAPPY, "overall": 3, "recommend": 8})
        surveys = self._surveys(self.customer) | self._surveys(other) | self._surveys(passive)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT nps_score, nps_value, csat_percent FROM logistics_survey WHERE id IN %s ORDER BY id",
            [tuple(surveys.ids)],
        )
        self.assertEqual(sorted(self.env.cr.fetchall()), [(0, -100.0, 0.0), (8, 0.0, 0.0), (10, 100.0, 100.0)])
        [(csat, nps, recommend)] = (
            self.env["logistics.survey"]
            .with_user(self.user_manager)
            ._read_group([("id", "in", surveys.ids)], [], ["csat_percent:avg", "nps_value:avg", "nps_score:avg"])
        )
        self.assertAlmostEqual(csat, 100 / 3)
        self.assertEqual(nps, 0.0)
        self.assertEqual(recommend, 6.0)

    def test_low_answer_follow_up_and_complaint(self):
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        self._answer(survey, {**HAPPY, "recommend": 9, "condition": 2}, comment="Crushed boxes")
        self.assertTrue(survey.is_low)
        activity = survey.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.date_deadline, NOW.date())
        action = survey.with_user(self.user_specialist).action_create_complaint()
        complaint = self.env["logistics.complaint"].browse(action["res_id"])
        self.assertRecordValues(
            complaint,
            [
                {
                    "survey_id": survey.id,
                    "partner_id": self.contact.id,
                    "picking_id": survey.picking_id.id,
                    "sale_order_id": survey.sale_order_id.id,
                    "channel": "survey",
                }
            ],
        )
        self.assertIn("Crushed boxes", complaint.description)
        self.assertEqual(survey.complaint_count, 1)

    def test_detractor_follow_up(self):
        customer, contact = self._create_shipper("Angry Shipper", user_id=self.salesperson.id)
        self._validate(self._order_delivery(contact))
        survey = self._surveys(customer)
        self._answer(survey, {**HAPPY, "recommend": 6})
        self.assertRecordValues(survey, [{"nps_category": "detractor", "is_low": True, "nps_value": -100.0}])
        self.assertEqual(survey.activity_ids.user_id, self.salesperson)
        self.assertEqual(customer.logistics_nps, -100.0)

    def test_answer_once(self):
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        answer = self._answer(survey, HAPPY)
        # Odoo marks the answer done again (a second submission): nothing changes
        answer._mark_done()
        self.assertEqual(survey.csat_score, 5)
        self.assertEqual(len(survey.activity_ids), 0)

    def test_cancel(self):
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        with self.assertRaises(AccessError):
            survey.with_user(self.user_specialist).action_cancel()
        survey.with_user(self.user_supervisor).action_cancel()
        self.assertEqual(survey.state, "cancelled")
        self.assertLessEqual(survey.user_input_id.sudo().deadline, NOW)
        with self.assertRaises(UserError):
            survey.with_user(self.user_supervisor).action_cancel()

    def test_send_by_hand(self):
        customer, _contact = self._create_shipper("Manual Shipper")
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            customer.with_user(self.user_internal).action_logistics_send_survey()
        customer.with_user(self.user_specialist).action_logistics_send_survey()
        survey = self._surveys(customer)
        self.assertRecordValues(survey, [{"state": "sent", "contact_id": customer.id, "picking_id": False}])
        # within the throttle: refused, unless a supervisor forces it
        with self.assertRaises(UserError):
            customer.with_user(self.user_specialist).action_logistics_send_survey()
        with self.assertRaises(AccessError):
            customer.with_user(self.user_specialist).action_logistics_force_send_survey()
        customer.with_user(self.user_supervisor).action_logistics_force_send_survey()
        self.assertEqual(len(self._surveys(customer)), 2)

    def test_send_by_hand_from_delivery_and_order(self):
        # a supervisor who works in the warehouse and sales
        supervisor = new_test_user(
            self.env,
            "lcrm_survey_supervisor",
            groups=f"{SUPERVISOR},stock.group_stock_user,sales_team.group_sale_salesman_all_leads",
        )
        self.company.logistics_survey_enabled = False
        picking = self._validate(self._order_delivery(self.contact))
        self.assertFalse(self._surveys(self.customer))
        self.company.logistics_survey_enabled = True
        picking.with_user(supervisor).action_logistics_send_survey()
        survey = self._surveys(self.customer)
        self.assertEqual(survey.picking_id, picking)
        with self.assertRaises(UserError):
            # the same delivery: never twice, even forced
            picking.with_user(supervisor).action_logistics_force_send_survey()
        picking.sale_id.with_user(supervisor).action_logistics_force_send_survey()
        self.assertEqual(len(self._surveys(self.customer)), 2)

    def test_scores_are_system_fields(self):
        self._validate(self._order_delivery(self.contact))
        survey = self._surveys(self.customer)
        for user in (self.user_specialist, self.user_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                survey.with_user(user).write({"csat_score": 5})
        self.assertEqual(survey.with_user(self.user_specialist).state, "sent")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_admin).write({"logistics_csat": 99.0})

    def test_settings_refused(self):
        for values in (
            {"logistics_survey_sample_rate": 101.0},
            {"logistics_survey_sample_rate": float("nan")},
            {"logistics_survey_throttle_days": -1},
            {"logistics_survey_expiry_days": 0},
            {"logistics_csat_target": float("inf")},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.write(values)

    def test_portal_reads_own_surveys_only(self):
        other, other_contact = self._create_shipper("Other Shipper")
        self._validate(self._order_delivery(self.contact) | self._order_delivery(other_contact))
        mine, theirs = self._surveys(self.customer), self._surveys(other)
        portal = new_test_user(self.env, "lcrm_survey_portal", groups="base.group_portal", partner_id=self.contact.id)
        Survey = self.env["logistics.survey"].with_user(portal)
        self.assertEqual(Survey.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(portal).read(["nps_score"])
        self.assertNotIn("customer_grade", mine.with_user(portal).read()[0])
        self.assertEqual(fields.Datetime.to_datetime(mine.with_user(portal).sent_date), NOW)
