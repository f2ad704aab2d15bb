"""res.company, continued: the size thresholds are checked before they are
stored.

NaN and the infinities make the ORM fail with a raw ValueError or
OverflowError when it rounds a Monetary to the company's currency, before
any constraint runs: create and write refuse them first, with the
ValidationError of the constraint. This lives apart from res_company.py so
that the write() there (resizing the customers) stays as it is; it can be
folded into it later.
"""

from odoo import api, models

from ..tools.numbers import MONTHLY_ORDERS_MAX, SPEND_MAX
from .number_checks import check_create_numbers, check_numbers


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _get_logistics_threshold_maxima(self):
        """Return ``{field name: maximum}`` of the customer size thresholds
        (all of them at least 0)."""
        return {
            "logistics_large_spend": SPEND_MAX,
            "logistics_medium_spend": SPEND_MAX,
            "logistics_frequent_orders": MONTHLY_ORDERS_MAX,
        }

    @api.model_create_multi
    def create(self, vals_list):
        check_create_numbers(self, vals_list, self._get_logistics_threshold_maxima())
        return super().create(vals_list)

    def write(self, vals):
        check_numbers(self, vals, self._get_logistics_threshold_maxima())
        return super().write(vals)
