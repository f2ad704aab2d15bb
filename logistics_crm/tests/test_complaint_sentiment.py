"""Sentiment triage of complaints: clearly unhappy customers, in Chinese and
English, raise an alert and the severity (once); inquiries and thanks do not;
a cleared alert stays cleared."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import LogisticsCrmCommon
from .survey_common import HAPPY, LogisticsSurveyCommon

ANGRY_ZH = "你们又延误了三天，货物还破损了！！太离谱了，必须赔偿，不然我们就换一家物流公司！"
ANGRY_EN = (
    "This is the third late delivery this month and two pallets arrived damaged. Unacceptable! "
    "I demand full compensation or we will take our business elsewhere."
)
INQUIRY_ZH = "请问我的货物什么时候能到？麻烦告诉一下单号，谢谢。"
THANKS_EN = "Thank you, the shipment arrived on time and in perfect condition. Great job!"


class TestComplaintSentiment(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Sentiment Shipper", email="ops@sentiment.example.com")

    def _complaint(self, description, user=None, severity="normal"):
        return (
            self.env["logistics.complaint"]
            .with_user(user or self.user_specialist)
            .create(
                {
                    "partner_id": self.customer.id,
                    "summary": "Delivery",
                    "description": f"<p>{description}</p>",
                    "severity": severity,
                }
            )
        )

    def test_clearly_unhappy_in_both_languages(self):
        for text in (ANGRY_ZH, ANGRY_EN):
            with self.subTest(text=text[:20]):
                complaint = self._complaint(text)
                deadline_before = complaint.resolution_deadline
                self.assertTrue(complaint.sentiment_alert)
                self.assertLess(complaint.sentiment_score, -0.4)
                self.assertTrue(complaint.sentiment_drivers)
                self.assertEqual(complaint.severity, "high", "one step up")
                self.assertTrue(complaint.sentiment_escalated)
                self.assertIsNotNone(deadline_before)
                self.assertIn(complaint, self.env["logistics.complaint"].search([("sentiment_alert", "=", True)]))

    def test_inquiries_and_thanks_do_not_alert(self):
        for text in (INQUIRY_ZH, THANKS_EN):
            with self.subTest(text=text[:20]):
                complaint = self._complaint(text)
                self.assertFalse(complaint.sentiment_alert)
                self.assertEqual(complaint.severity, "normal")

    def test_severity_raised_once_never_above_critical(self):
        complaint = self._complaint(ANGRY_EN, severity="critical")
        self.assertEqual(complaint.severity, "critical")
        calm = self._complaint(INQUIRY_ZH)
        # an angry reply of the customer raises it once
        calm.message_post(
            body=ANGRY_ZH, author_id=self.customer.id, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(calm.sentiment_alert)
        self.assertEqual(calm.severity, "high")
        calm.message_post(
            body=ANGRY_EN, author_id=self.customer.id, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(calm.severity, "high", "raised once per complaint")

    def test_staff_reply_is_not_the_customer(self):
        calm = self._complaint(INQUIRY_ZH)
        calm.with_user(self.user_specialist).message_post(
            body="We are sorry: we will compensate the damaged pallets!",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(calm.sentiment_alert)

    def test_cleared_alert_is_kept(self):
        complaint = self._complaint(ANGRY_EN)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            complaint.with_user(self.user_internal).action_clear_sentiment_alert()
        complaint.with_user(self.user_specialist).action_clear_sentiment_alert()
        self.assertFalse(complaint.sentiment_alert)
        self.assertTrue(complaint.sentiment_alert_cleared)
        complaint.message_post(
            body=ANGRY_ZH, author_id=self.customer.id, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertFalse(complaint.sentiment_alert, "the correction is kept")
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_supervisor).write({"sentiment_alert": True})

    def test_sentiment_fields_closed_on_every_path(self):
        """Only the system sets the sentiment figures: not through context
        defaults, create values, copy or a portal customer's read."""
        forged = {
            "default_sentiment_alert_cleared": True,
            "default_sentiment_score": 1.0,
            "default_sentiment_escalated": True,
        }
        complaint = self._complaint(ANGRY_EN, user=self.user_specialist.with_context(**forged))
        self.assertRecordValues(
            complaint, [{"sentiment_alert": True, "sentiment_alert_cleared": False, "sentiment_escalated": True}]
        )
        self.assertLess(complaint.sentiment_score, 0, "the default score was ignored")
        for values in ({"sentiment_alert_cleared": True}, {"sentiment_score": 1.0}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.env["logistics.complaint"].with_user(self.user_supervisor).create(
                    {"partner_id": self.customer.id, "summary": "Forged", **values}
                )
        # a copy does not carry the staff's correction: it is scored afresh from its text
        complaint.with_user(self.user_specialist).action_clear_sentiment_alert()
        copied = complaint.with_user(self.user_supervisor).copy()
        self.assertRecordValues(copied, [{"sentiment_alert_cleared": False, "sentiment_alert": True}])
        contact = self.env["res.partner"].create({"name": "Sentiment Contact", "parent_id": self.customer.id})
        portal = new_test_user(self.env, "lcrm_sentiment_portal", groups="base.group_portal", partner_id=contact.id)
        self.assertEqual(complaint.with_user(portal).read(["name"])[0]["name"], complaint.name, "its own complaint")
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            complaint.with_user(portal).read(["sentiment_alert"])

    def test_email_complaint_scored(self):
        complaint = self.env["logistics.complaint"].message_new(
            {
                "email_from": "ops@sentiment.example.com",
                "subject": "Lost parcel",
                "body": "<p>You LOST our parcel again. I want a refund today or I cancel the contract!</p>",
            }
        )
        self.assertTrue(complaint.sentiment_alert)


class TestSurveyCommentSentiment(LogisticsSurveyCommon):
    def test_comment_scored(self):
        customer, contact = self._create_shipper("Commenting Shipper")
        picking = self._validate(self._order_delivery(contact))
        survey = self._surveys(customer).filtered(lambda s: s.picking_id == picking)
        self.assertEqual(survey.state, "sent")
        self._answer(survey, {**HAPPY, "overall": 1}, comment=ANGRY_ZH)
        self.assertTrue(survey.sentiment_alert)
        self.assertLess(survey.sentiment_score, 0)
        other = self._surveys(customer) - survey
        self.assertFalse(other.filtered("sentiment_alert"))
