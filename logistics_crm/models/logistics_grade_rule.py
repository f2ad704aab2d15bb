from odoo import api, fields, models
from odoo.tools.misc import format_amount, formatLang

from ..tools.grading import GradeRule
from ..tools.numbers import MONTHLY_ORDERS_MAX, SPEND_MAX
from .selections import CUSTOMER_TYPE_SELECTION, GRADE_SELECTION

# Where a rule's threshold comes from: its own number, or a customer size
# setting of the grading company ({source: field of res.company}), so that
# one number gives both the size and the grade.
SPEND_SOURCE_FIELDS = {"large": "logistics_large_spend", "medium": "logistics_medium_spend"}
ORDERS_SOURCE_FIELDS = {"frequent": "logistics_frequent_orders"}


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
    spend_threshold_source = fields.Selection(
        [("own", "Own amount"), ("large", "Large enterprise spend"), ("medium", "Medium enterprise spend")],
        string="Annual Spend Threshold",
        required=True,
        default="own",
        help="Own amount: the rule's Minimum Annual Spend. Large or Medium enterprise spend: the customer "
        "size setting of the company that grades (Settings), so that grade and size move together; "
        "a rule shared between companies follows each company's own setting.",
    )
    min_annual_spend = fields.Monetary(
        string="Minimum Annual Spend",
        currency_field="currency_id",
        help="Untaxed amount of confirmed sale orders over the last 365 days. 0 means this threshold is not used.",
    )
    annual_spend_threshold = fields.Monetary(
        string="Annual Spend Threshold in Effect",
        currency_field="currency_id",
        compute="_compute_thresholds",
        help="The minimum annual spend in effect in the company: the rule's own amount, "
        "or the company setting it follows.",
    )
    orders_threshold_source = fields.Selection(
        [("own", "Own number"), ("frequent", "Frequent individual orders")],
        string="Orders Threshold",
        required=True,
        default="own",
        help="Own number: the rule's Minimum Orders per Month. Frequent individual orders: the customer "
        "size setting of the company that grades (Settings); a rule shared between companies follows "
        "each company's own setting.",
    )
    min_monthly_orders = fields.Float(
        string="Minimum Orders per Month",
        digits=(16, 2),
        help="Average number of confirmed orders a month over the last 365 days. 0 means this threshold is not used.",
    )
    monthly_orders_threshold = fields.Float(
        string="Orders per Month Threshold in Effect",
        digits=(16, 2),
        compute="_compute_thresholds",
        help="The minimum orders per month in effect in the company: the rule's own number, "
        "or the company setting it follows.",
    )
    threshold_summary = fields.Char(
        string="Thresholds",
        compute="_compute_threshold_summary",
        help="The thresholds of the rule in effect in the company.",
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

    @api.depends(
        "company_id", "spend_threshold_source", "min_annual_spend", "orders_threshold_source", "min_monthly_orders"
    )
    @api.depends_context("company")
    def _compute_thresholds(self):
        for rule in self:
            spend, orders = rule._logistics_thresholds(rule.company_id or self.env.company)
            rule.annual_spend_threshold = spend
            rule.monthly_orders_threshold = orders

    @api.depends("annual_spend_threshold", "monthly_orders_threshold", "match_all", "currency_id")
    @api.depends_context("company", "lang")
    def _compute_threshold_summary(self):
        notes = {
            "large": self.env._("large enterprise spend"),
            "medium": self.env._("medium enterprise spend"),
            "frequent": self.env._("frequent individuals"),
        }
        for rule in self:
            parts = []
            if rule.annual_spend_threshold:
                amount = format_amount(self.env, rule.annual_spend_threshold, rule.currency_id)
                parts.append((self.env._("Annual spend ≥ %(amount)s", amount=amount), rule.spend_threshold_source))
            if rule.monthly_orders_threshold:
                orders = rule.monthly_orders_threshold
                count = formatLang(self.env, orders, digits=0 if orders.is_integer() else 2)
                parts.append((self.env._("≥ %(count)s orders a month", count=count), rule.orders_threshold_source))
            texts = [
                self.env._("%(threshold)s (%(setting)s)", threshold=text, setting=notes[source])
                if source in notes
                else text
                for text, source in parts
            ]
            if not texts:
                rule.threshold_summary = self.env._("No threshold")
            elif len(texts) == 1:
                rule.threshold_summary = texts[0]
            elif rule.match_all:
                rule.threshold_summary = self.env._("%(spend)s and %(orders)s", spend=texts[0], orders=texts[1])
            else:
                rule.threshold_summary = self.env._("%(spend)s or %(orders)s", spend=texts[0], orders=texts[1])

    @api.constrains("min_annual_spend", "min_monthly_orders")
    def _check_thresholds(self):
        self._logistics_check_stored_numbers()

    @api.onchange("spend_threshold_source")
    def _onchange_spend_threshold_source(self):
        # an own amount starts from the setting the saved rule followed (its
        # stored own amount, unused meanwhile, may be out of date)
        followed = SPEND_SOURCE_FIELDS.get(self._origin.spend_threshold_source)
        if self.spend_threshold_source == "own" and followed:
            self.min_annual_spend = (self.company_id or self.env.company)[followed]

    @api.onchange("orders_threshold_source")
    def _onchange_orders_threshold_source(self):
        followed = ORDERS_SOURCE_FIELDS.get(self._origin.orders_threshold_source)
        if self.orders_threshold_source == "own" and followed:
            self.min_monthly_orders = (self.company_id or self.env.company)[followed]

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
            "spend_threshold_source",
            "min_annual_spend",
            "orders_threshold_source",
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

    def _logistics_thresholds(self, company):
        """Return the (annual spend, orders a month) thresholds of this rule
        when ``company`` grades: its own numbers, or the size settings of
        ``company`` that it follows."""
        self.ensure_one()
        spend_field = SPEND_SOURCE_FIELDS.get(self.spend_threshold_source)
        orders_field = ORDERS_SOURCE_FIELDS.get(self.orders_threshold_source)
        return (
            company[spend_field] if spend_field else self.min_annual_spend,
            company[orders_field] if orders_field else self.min_monthly_orders,
        )

    @api.model
    def _get_rules_for_company(self, company):
        """Return the active rules that apply in ``company`` as plain
        :class:`GradeRule` values, in evaluation order."""
        result = []
        for rule in self.search([("company_id", "in", [company.id, False])]):
            min_annual_spend, min_monthly_orders = rule._logistics_thresholds(company)
            result.append(
                GradeRule(
                    grade=rule.grade,
                    min_annual_spend=min_annual_spend,
                    min_monthly_orders=min_monthly_orders,
                    match_all=rule.match_all,
                    customer_types=frozenset([rule.customer_type_filter] if rule.customer_type_filter else []),
                    industry_ids=frozenset(rule.industry_ids.ids),
                    key=rule.id,
                )
            )
        return result
