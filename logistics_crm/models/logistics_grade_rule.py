from odoo import api, fields, models

from ..tools.grading import GradeRule
from ..tools.numbers import MONTHLY_ORDERS_MAX, SPEND_MAX
from .selections import CUSTOMER_TYPE_SELECTION, GRADE_SELECTION


class LogisticsGradeRule(models.Model):
    _name = "logistics.grade.rule"
    _inherit = ["logistics.number.mixin"]
    _description = "Customer Grading Rule"
    _order = "sequence, id"
    _check_company_auto = True
    _logistics_number_maxima = {"min_annual_spend": SPEND_MAX, "min_monthly_orders": MONTHLY_ORDERS_MAX}

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        index=True,
        help="Leave empty to apply the rule in every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Currency the spend threshold is expressed in (the company's).",
    )
    grade = fields.Selection(GRADE_SELECTION, required=True)
    min_annual_spend = fields.Monetary(
        string="Minimum Annual Spend",
        currency_field="currency_id",
        help="Untaxed amount of confirmed sale orders over the last 365 days. 0 means this threshold is not used.",
    )
    min_monthly_orders = fields.Float(
        string="Minimum Orders per Month",
        digits=(16, 2),
        help="Average number of confirmed orders a month over the last 365 days. 0 means this threshold is not used.",
    )
    match_all = fields.Boolean(
        string="All Thresholds Required",
        help="When set, every threshold that is filled in must be reached; "
        "otherwise reaching any one of them is enough.",
    )
    customer_type_filter = fields.Selection(
        CUSTOMER_TYPE_SELECTION,
        string="Only for Customer Type",
        help="Leave empty to apply the rule to every customer type.",
    )
    industry_ids = fields.Many2many(
        "res.partner.industry",
        string="Only for Industries",
        help="Leave empty to apply the rule to every industry.",
    )

    _sql_constraints = [
        (
            "thresholds_positive",
            "CHECK(COALESCE(min_annual_spend, 0) >= 0 AND COALESCE(min_monthly_orders, 0) >= 0)",
            "Grading thresholds cannot be negative.",
        ),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (rule.company_id or self.env.company).currency_id

    @api.constrains("min_annual_spend", "min_monthly_orders")
    def _check_thresholds(self):
        self._logistics_check_stored_numbers()

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules.filtered("active")._companies_graded()._logistics_regrade_customers_of_companies()
        return rules

    def write(self, vals):
        if not vals.keys() & self._grading_fields():
            return super().write(vals)
        # the rules that grade before or after the change
        before = self.filtered("active")
        companies = before._companies_graded()
        res = super().write(vals)
        (companies | (before | self.filtered("active"))._companies_graded())._logistics_regrade_customers_of_companies()
        return res

    def unlink(self):
        companies = self.filtered("active")._companies_graded()
        res = super().unlink()
        companies._logistics_regrade_customers_of_companies()
        return res

    @api.model
    def _grading_fields(self):
        """What changes a grade when it changes."""
        return {
            "sequence",
            "active",
            "company_id",
            "grade",
            "min_annual_spend",
            "min_monthly_orders",
            "match_all",
            "customer_type_filter",
            "industry_ids",
        }

    def _companies_graded(self):
        """The companies whose customers these rules grade."""
        if not self:
            return self.env["res.company"]
        # sudo: a shared rule grades the customers of every company
        if not all(rule.company_id for rule in self):
            return self.env["res.company"].sudo().search([])
        return self.company_id.sudo()

    @api.model
    def _get_rules_for_company(self, company):
        """Return the active rules that apply in ``company`` as plain
        :class:`GradeRule` values, in evaluation order."""
        rules = self.search([("company_id", "in", [company.id, False])])
        return [
            GradeRule(
                grade=rule.grade,
                min_annual_spend=rule.min_annual_spend,
                min_monthly_orders=rule.min_monthly_orders,
                match_all=rule.match_all,
                customer_types=frozenset([rule.customer_type_filter] if rule.customer_type_filter else []),
                industry_ids=frozenset(rule.industry_ids.ids),
                key=rule.id,
            )
            for rule in rules
        ]
