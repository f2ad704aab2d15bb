from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        res = super()._mark_done()
        # the scores of the delivery satisfaction surveys behind these answers
        self.env["logistics.survey"]._logistics_record_answers(self)
        return res
