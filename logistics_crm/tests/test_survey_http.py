"""The public link of a satisfaction survey through real HTTP requests, as
the customer's browser sends them: answered once (the scores land on the
survey), a second answer refused with a clear page, an expired or cancelled
link refused with a clear page, and no way to another customer's answers."""

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .survey_common import HAPPY


@tagged("post_install", "-at_install")
class TestSurveyHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.questionnaire = cls.env.ref("logistics_crm.survey_delivery_satisfaction")
        cls.company.write(
            {
                "logistics_survey_enabled": True,
                "logistics_survey_id": cls.questionnaire.id,
                "logistics_survey_sample_rate": 100.0,
                "logistics_survey_throttle_days": 30,
                "logistics_survey_delay_hours": 0.0,
            }
        )
        goods = cls.env["product.product"].create({"name": "Crate", "type": "consu", "list_price": 5.0})
        cls.survey = {}
        cls.customer = {}
        for key in ("one", "two"):
            customer = cls.env["res.partner"].create(
                {"name": f"Survey Customer {key}", "is_company": True, "email": f"{key}@customer.example.com"}
            )
            contact = cls.env["res.partner"].create(
                {"name": f"Buyer {key}", "parent_id": customer.id, "email": f"buyer.{key}@customer.example.com"}
            )
            new_test_user(
                cls.env,
                f"lcrm_survey_portal_{key}",
                groups="base.group_portal",
                partner_id=contact.id,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            order = cls.env["sale.order"].create(
                {"partner_id": contact.id, "order_line": [Command.create({"product_id": goods.id})]}
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.move_ids.write({"quantity": 1, "picked": True})
            picking.button_validate()
            cls.customer[key] = customer
            cls.survey[key] = cls.env["logistics.survey"].search([("partner_id", "=", customer.id)])

    def _tokens(self, key):
        answer = self.survey[key].user_input_id.sudo()
        return answer.survey_id.access_token, answer.access_token

    def _post_answers(self, key, scores, comment=""):
        """Open the personal link and submit the questionnaire (one page) as
        the survey page's JavaScript does; return the submit's answer."""
        survey_token, answer_token = self._tokens(key)
        response = self.url_open(self.survey[key].survey_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/survey/{survey_token}/{answer_token}", response.url)
        self.make_jsonrpc_request(f"/survey/begin/{survey_token}/{answer_token}", {})
        params = {}
        for question in self.questionnaire.question_ids:
            if question.logistics_dimension == "comment":
                params[str(question.id)] = comment
            else:
                params[str(question.id)] = str(scores[question.logistics_dimension])
        return self.make_jsonrpc_request(f"/survey/submit/{survey_token}/{answer_token}", params)

    def test_answer_once(self):
        survey = self.survey["one"]
        self.assertEqual(survey.state, "sent")
        self._post_answers("one", {**HAPPY, "overall": 4, "recommend": 8}, comment="On time")
        survey.invalidate_recordset()
        self.assertRecordValues(
            survey,
            [{"state": "answered", "csat_score": 4, "nps_score": 8, "nps_category": "passive", "comment": "On time"}],
        )
        self.assertEqual(self.customer["one"].logistics_csat, 100.0)
        # the link again: a clear page, and a second submission changes nothing
        survey_token, answer_token = self._tokens("one")
        for url in (survey.survey_url, f"/survey/{survey_token}/{answer_token}"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("You have already answered this survey", response.text)
        result = self.make_jsonrpc_request(
            f"/survey/submit/{survey_token}/{answer_token}",
            {str(q.id): "1" for q in self.questionnaire.question_ids if q.logistics_dimension != "comment"},
        )
        self.assertEqual(result[1], {"error": "unauthorized"})
        survey.invalidate_recordset()
        self.assertEqual((survey.csat_score, survey.nps_score), (4, 8))

    def test_expired_link(self):
        survey = self.survey["two"]
        # the deadline passes (moved back an hour), then the scheduled expiry runs
        survey._logistics_system_writer().deadline = fields.Datetime.subtract(fields.Datetime.now(), hours=1)
        self.env["logistics.survey"]._cron_expire()
        self.assertEqual(survey.state, "expired")
        survey_token, answer_token = self._tokens("two")
        response = self.url_open(survey.survey_url)
        self.assertEqual(response.status_code, 410)
        self.assertIn("This survey link has expired", response.text)
        result = self.make_jsonrpc_request(
            f"/survey/submit/{survey_token}/{answer_token}",
            {str(q.id): "5" for q in self.questionnaire.question_ids if q.logistics_dimension != "comment"},
        )
        self.assertEqual(result[1], {"error": "answer_deadline"})
        survey.invalidate_recordset()
        self.assertEqual((survey.state, survey.csat_score), ("expired", 0))

    def test_cancelled_link(self):
        survey = self.survey["two"]
        survey._logistics_close("cancelled")
        response = self.url_open(survey.survey_url)
        self.assertEqual(response.status_code, 410)
        self.assertIn("This survey is no longer available", response.text)

    def test_no_way_to_another_customers_answers(self):
        self._post_answers("one", HAPPY, comment="Secret remark of customer one")
        survey_token, answer_token = self._tokens("one")
        # the questionnaire without a token, or with a made-up one: no answer shown
        for url in (
            f"/survey/print/{survey_token}",
            f"/survey/print/{survey_token}?answer_token=0123456789abcdef0123456789abcdef",
            f"/survey/start/{survey_token}",
        ):
            response = self.url_open(url)
            self.assertNotIn("Secret remark of customer one", response.text, url)
        # the other customer's portal user: only their own surveys, no link to the first one's
        self.authenticate("lcrm_survey_portal_two", "lcrm_survey_portal_two")
        response = self.url_open("/my/surveys")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.survey["two"].user_input_id.sudo().access_token, response.text)
        self.assertNotIn(answer_token, response.text)
        self.assertNotIn("Secret remark", response.text)
        response = self.url_open(f"/survey/results/{self.questionnaire.id}")
        self.assertNotIn("Secret remark of customer one", response.text)
        # its owner's own printout shows it (the token is the key)
        self.authenticate(None, None)
        response = self.url_open(f"/survey/print/{survey_token}?answer_token={answer_token}")
        self.assertIn("Secret remark of customer one", response.text)

    def test_portal_lists_pending_and_answered(self):
        self._post_answers("one", HAPPY)
        self.authenticate("lcrm_survey_portal_one", "lcrm_survey_portal_one")
        response = self.url_open("/my/surveys")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_logistics_portal_survey", response.text)
        self.assertIn(self.survey["one"].picking_id.name, response.text)
        self.assertNotIn(self.survey["two"].picking_id.name, response.text)
        response = self.url_open("/my")
        self.assertIn("/my/surveys", response.text)

    def test_questionnaire_in_chinese(self):
        """A customer whose browser asks for Chinese reads the shipped
        questionnaire in Chinese (the module's zh_CN translation)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["logistics_crm"], ["zh_CN"], overwrite=True)
        survey_token, answer_token = self._tokens("one")
        headers = {"Accept-Language": "zh-CN,zh;q=0.9"}
        response = self.url_open(self.survey["one"].survey_url, headers=headers)
        self.assertEqual(response.status_code, 200)
        overall = self.questionnaire.question_ids.filtered(lambda q: q.logistics_dimension == "overall")
        chinese = overall.with_context(lang="zh_CN").title
        self.assertNotEqual(chinese, overall.with_context(lang="en_US").title, "the question is translated")
        begun = self.make_jsonrpc_request(f"/survey/begin/{survey_token}/{answer_token}", {}, headers=headers)
        _empty, content = begun
        self.assertIn(chinese, content["survey_content"])
