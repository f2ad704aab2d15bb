from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.numbers import HOURS_MAX, VISIT_INTERVAL_DAYS_MAX, WINBACK_POINTS_MAX
from .selections import GRADE_SELECTION, WINBACK_ACTION_SELECTION


class LogisticsServiceLevel(models.Model):
    _name = "logistics.service.level"
    _inherit = ["logistics.number.mixin"]
    _description = "Service Level per Customer Grade"
    _order = "grade, company_id"
    _check_company_auto = True
    _logistics_number_maxima = {
        "visit_interval_days": VISIT_INTERVAL_DAYS_MAX,
        "first_response_hours": HOURS_MAX,
        "resolution_hours": HOURS_MAX,
        "winback_points": WINBACK_POINTS_MAX,
    }

    name = fields.Char(required=True, translate=True)
    grade = fields.Selection(GRADE_SELECTION, required=True, index=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        index=True,
        help="Leave empty to apply this service level in every company; "
        "a company-specific level for the same grade takes precedence.",
    )
    visit_interval_days = fields.Integer(
        string="Visit Interval (days)",
        help="Days between two scheduled visits; 0 means no scheduled visit.",
    )
    visit_schedule = fields.Char(
        string="Scheduled Visits",
        compute="_compute_visit_schedule",
        help="How often customers of this grade are visited.",
    )
    # hours as decimal numbers (1.5 is an hour and a half), in forms and
    # lists alike: a duration, not a time of day (no digits: a rounding
    # would turn a stored NaN into a crash instead of the number check)
    first_response_hours = fields.Float(
        string="First Response Target (hours)",
        help="Working hours within which a complaint must get a first response.",
    )
    resolution_hours = fields.Float(
        string="Resolution Target (hours)",
        help="Working hours within which a complaint must be resolved.",
    )
    delivery_priority = fields.Boolean(
        string="Delivery Priority",
        help="Deliveries of customers with this grade are handled first.",
    )
    account_manager_required = fields.Boolean(
        string="Account Manager Required",
        help="Customers with this grade must have a dedicated account manager.",
    )
    winback_action = fields.Selection(
        WINBACK_ACTION_SELECTION,
        string="Win-back Action",
        default="call",
        required=True,
        help="What is done when a customer of this grade becomes at risk of churning.",
    )
    winback_points = fields.Integer(
        string="Win-back Points",
        help="The loyalty points given to a customer of this grade at risk of churning (action: points gift).",
    )
    description = fields.Text(
        string="Service Commitments",
        translate=True,
    )

    _sql_constraints = [
        (
            "targets_positive",
            "CHECK(visit_interval_days >= 0 AND first_response_hours >= 0 AND resolution_hours >= 0)",
            "Visit intervals and response targets cannot be negative.",
        ),
    ]

    @api.depends("visit_interval_days")
    @api.depends_context("lang")
    def _compute_visit_schedule(self):
        for level in self:
            if level.visit_interval_days:
                level.visit_schedule = self.env._("Every %(days)s days", days=level.visit_interval_days)
            else:
                level.visit_schedule = self.env._("No scheduled visit")

    @api.constrains(
        "visit_interval_days", "first_response_hours", "resolution_hours", "winback_action", "winback_points"
    )
    def _check_targets(self):
        # finite and within bounds first: NaN compares False with everything
        self._logistics_check_stored_numbers()
        for level in self:
            if level.winback_action == "points" and level.winback_points < 1:
                raise ValidationError(
                    self.env._("%(level)s gives loyalty points to win customers back: say how many.", level=level.name)
                )
            if level.resolution_hours and level.first_response_hours > level.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "The first response target of %(level)s cannot be longer than its resolution target.",
                        level=level.name,
                    )
                )

    @api.constrains("grade", "company_id", "active")
    def _check_unique_grade(self):
        for level in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", level.id),
                    ("grade", "=", level.grade),
                    ("company_id", "=", level.company_id.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "There is already an active service level for grade %(grade)s in this scope.",
                        grade=level.grade,
                    )
                )

    @api.model
    def _get_levels_by_grade(self, company):
        """Return ``{grade: service level}`` for ``company``: its own levels
        first, the levels shared by all companies otherwise."""
        levels = self.search([("company_id", "in", [company.id, False])])
        result = {}
        # shared levels first, so that company-specific ones overwrite them
        for level in levels.sorted(lambda lvl: bool(lvl.company_id)):
            result[level.grade] = level
        return result
