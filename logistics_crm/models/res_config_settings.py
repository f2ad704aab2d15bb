from odoo import fields, models


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
