"""A customer answers the satisfaction survey of a delivery through its
personal link in a real browser (an Odoo tour in Chromium), without logging
in. A tour that cannot run fails here: Odoo itself would report it as
skipped."""

from odoo.tests import tagged

from .common import LogisticsTourCase


@tagged("post_install", "-at_install")
class TestSurveyTour(LogisticsTourCase):
    def test_customer_answers_the_public_link_tour(self):
        customer = self.env["res.partner"].create(
            {"name": "Tour Consignee", "is_company": True, "email": "tour.consignee@example.com"}
        )
        self.env.company.logistics_survey_id = self.env.ref("logistics_crm.survey_delivery_satisfaction")
        self.env["logistics.survey"].with_user(self.env.ref("base.user_admin"))._logistics_send_manual(customer)
        survey = self.env["logistics.survey"].search([("partner_id", "=", customer.id)])
        self.assertEqual(survey.state, "sent")
        self.start_tour(survey.user_input_id.sudo().get_start_url(), "logistics_crm_survey_answer_tour")
        survey.invalidate_recordset()
        self.assertRecordValues(
            survey,
            [
                {
                    "state": "answered",
                    "csat_score": 4,
                    "score_timeliness": 5,
                    "score_condition": 2,
                    "score_accuracy": 5,
                    "score_attitude": 5,
                    "score_price": 3,
                    "score_communication": 4,
                    "nps_score": 9,
                    "nps_category": "promoter",
                    "comment": "Two boxes were dented",
                    "is_low": True,
                }
            ],
        )
