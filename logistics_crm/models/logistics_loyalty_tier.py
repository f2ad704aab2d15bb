from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.numbers import PERCENT_MAX

# points earned over twelve months, and how many times the base rate a tier earns
POINTS_MAX = 1e12
MULTIPLIER_MAX = 100


class LogisticsLoyaltyTier(models.Model):
    """A tier of the loyalty programme: customers who earned at least its
    threshold of points over the trailing twelve months are in it (the
    highest such tier), and earn points times its multiplier."""

    _name = "logistics.loyalty.tier"
    _inherit = ["logistics.number.mixin"]
    _description = "Loyalty Tier"
    _order = "threshold, sequence, id"

    _logistics_number_maxima = {
        "threshold": POINTS_MAX,
        "multiplier": MULTIPLIER_MAX,
        "discount_percent": PERCENT_MAX,
    }

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    threshold = fields.Float(
        string="Points Threshold",
        digits=(16, 0),
        required=True,
        help="Points earned over the trailing twelve months from which a customer is in this tier.",
    )
    multiplier = fields.Float(
        string="Earning Multiplier",
        digits=(16, 2),
        default=1.0,
        required=True,
        help="The points of a delivery are multiplied by this.",
    )
    discount_percent = fields.Float(
        string="Freight Discount (%)", digits=(16, 2), help="The discount on freight the tier's customers get."
    )
    priority = fields.Boolean(string="Priority Handling", help="The tier's shipments are handled first.")
    benefits = fields.Text(translate=True, help="The benefits of the tier, as told to customers.")

    _sql_constraints = [
        ("threshold_unique", "UNIQUE(threshold)", "Two tiers cannot start at the same number of points."),
    ]

    @api.constrains("threshold", "multiplier", "discount_percent")
    def _check_numbers(self):
        self._logistics_check_stored_numbers()
        for tier in self:
            if tier.multiplier <= 0:
                raise ValidationError(self.env._("The earning multiplier of a tier must be more than 0."))

    @api.model
    def _logistics_tier_for(self, points, tiers=None):
        """The tier of a customer who earned ``points`` over the trailing
        twelve months: the active tier of highest threshold not above them
        (none below the lowest threshold)."""
        tiers = self.sudo().search([]) if tiers is None else tiers
        reached = tiers.filtered(lambda t: t.threshold <= points)
        return reached.sorted("threshold")[-1:] if reached else self.browse()
