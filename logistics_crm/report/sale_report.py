from odoo import fields, models

from ..models.selections import GRADE_SELECTION


class SaleReport(models.Model):
    _inherit = "sale.report"

    # the customer's grade and loyalty tier in the order's company, today
    logistics_customer_grade = fields.Selection(GRADE_SELECTION, string="Customer Grade", readonly=True)
    logistics_loyalty_tier_id = fields.Many2one("logistics.loyalty.tier", string="Loyalty Tier", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["logistics_customer_grade"] = (
            "(SELECT customer.logistics_grade->>s.company_id::text"
            " FROM res_partner customer WHERE customer.id = partner.commercial_partner_id)"
        )
        res["logistics_loyalty_tier_id"] = (
            "(SELECT card.logistics_tier_id FROM loyalty_card card"
            " WHERE card.logistics_company_id = s.company_id"
            " AND card.partner_id = partner.commercial_partner_id LIMIT 1)"
        )
        return res
