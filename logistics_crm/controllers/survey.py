from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.survey.controllers.main import Survey

PAGE_SIZE = 20


class LogisticsSurveyAnswer(Survey):
    """The public link of a delivery satisfaction survey: answered once, and
    a clear page when it was answered already, expired or was cancelled."""

    def _logistics_closed_page(self, survey_token, answer_token):
        if not answer_token:
            return None
        survey_sudo, answer_sudo = self._fetch_from_access_token(survey_token, answer_token)
        if not answer_sudo:
            return None
        reason = request.env["logistics.survey"]._logistics_answer_page_state(answer_sudo)
        if not reason:
            return None
        return request.render(
            "logistics_crm.survey_link_closed",
            {"survey": survey_sudo, "reason": reason},
            status=410 if reason != "answered" else 200,
        )

    @http.route()
    def survey_start(self, survey_token, answer_token=None, email=False, **post):
        page = self._logistics_closed_page(survey_token, answer_token)
        return page or super().survey_start(survey_token, answer_token=answer_token, email=email, **post)

    @http.route()
    def survey_display_page(self, survey_token, answer_token, **post):
        page = self._logistics_closed_page(survey_token, answer_token)
        return page or super().survey_display_page(survey_token, answer_token, **post)


class LogisticsSurveyPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_survey_count" in counters:
            Survey = request.env["logistics.survey"]
            domain = [("state", "in", ("sent", "answered"))]
            values["logistics_survey_count"] = Survey.search_count(domain) if Survey.has_access("read") else 0
        return values

    @http.route(["/my/surveys", "/my/surveys/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_logistics_surveys(self, page=1, **kw):
        # the record rules give portal users their customer's surveys
        Survey = request.env["logistics.survey"]
        if not Survey.has_access("read"):
            return request.redirect("/my")
        domain = [("state", "in", ("sent", "answered"))]
        count = Survey.search_count(domain)
        pager = portal_pager(url="/my/surveys", total=count, page=page, step=PAGE_SIZE)
        surveys = Survey.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: the surveys were found under the user's own record
                # rules; the page shows their delivery and order names, which
                # portal users may not read as records
                "surveys": surveys.sudo(),
                "pager": pager,
                "page_name": "logistics_survey",
            }
        )
        return request.render("logistics_crm.portal_my_logistics_surveys", values)
