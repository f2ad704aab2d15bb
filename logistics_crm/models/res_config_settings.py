from odoo import api, fields, models

from .number_checks import check_numbers


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_large_spend = fields.Monetary(
        related="company_id.logistics_large_spend",
        readonly=False,
        currency_field="logistics_currency_id",
    )
    logistics_medium_spend = fields.Monetary(
        related="company_id.logistics_medium_spend",
        readonly=False,
        currency_field="logistics_currency_id",
    )
    logistics_frequent_orders = fields.Float(
        related="company_id.logistics_frequent_orders",
        readonly=False,
    )
    logistics_currency_id = fields.Many2one(
        "res.currency",
        related="company_id.currency_id",
        string="Logistics Currency",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Before the ORM rounds the thresholds (a raw error on NaN and the
        # infinities); the company checks again what the related fields write.
        maxima = self.env["res.company"]._get_logistics_threshold_maxima()
        for vals in vals_list:
            check_numbers(self, vals, maxima)
        return super().create(vals_list)

    def write(self, vals):
        check_numbers(self, vals, self.env["res.company"]._get_logistics_threshold_maxima())
        return super().write(vals)
