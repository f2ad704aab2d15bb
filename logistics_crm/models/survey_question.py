from odoo import fields, models

from .selections import SURVEY_DIMENSION_SELECTION


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    logistics_dimension = fields.Selection(
        SURVEY_DIMENSION_SELECTION,
        string="Logistics Dimension",
        help="The figure of the delivery satisfaction surveys this question feeds: overall "
        "satisfaction and the service dimensions (scale 1-5), the likelihood to recommend "
        "(scale 0-10, the NPS) or the comment.",
    )
