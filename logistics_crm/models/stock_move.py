from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    # the delivery's customer grade and tier, stored to group the Inventory
    # reports (Moves Analysis) by them
    logistics_customer_grade = fields.Selection(
        related="picking_id.logistics_customer_grade", string="Customer Grade", store=True, groups="base.group_user"
    )
    logistics_loyalty_tier_id = fields.Many2one(
        related="picking_id.logistics_loyalty_tier_id", string="Loyalty Tier", store=True, groups="base.group_user"
    )


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # the same for Moves History
    logistics_customer_grade = fields.Selection(
        related="picking_id.logistics_customer_grade", string="Customer Grade", store=True, groups="base.group_user"
    )
    logistics_loyalty_tier_id = fields.Many2one(
        related="picking_id.logistics_loyalty_tier_id", string="Loyalty Tier", store=True, groups="base.group_user"
    )
