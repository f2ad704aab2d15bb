from odoo import api, models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _logistics_check_redeemed_lines(self):
        """Points redeemed on a confirmed order are posted to the ledger on
        confirmation and come back when the order is cancelled: its reward
        lines of a logistics card do not change meanwhile."""
        # sudo: whether the cards belong to a logistics programme
        if self.filtered(lambda line: line.state == "sale" and line.coupon_id.sudo().logistics_company_id):
            raise UserError(
                self.env._(
                    "Loyalty points redeemed on a confirmed order cannot be changed: "
                    "cancel the order to get them back, then redeem again."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._logistics_check_redeemed_lines()
        return lines

    def write(self, vals):
        if vals.keys() & {"points_cost", "coupon_id", "price_unit", "reward_id"}:
            self._logistics_check_redeemed_lines()
        return super().write(vals)

    def unlink(self):
        self._logistics_check_redeemed_lines()
        return super().unlink()
