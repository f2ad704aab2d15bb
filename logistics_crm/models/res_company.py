from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..tools.numbers import (
    HOURS_MAX,
    LOYALTY_MONTHS_MAX,
    MONTHLY_ORDERS_MAX,
    PERCENT_MAX,
    SPEND_MAX,
    VISIT_INTERVAL_DAYS_MAX,
)

# the customer size thresholds and their maximum (the minimum being 0)
THRESHOLD_MAXIMA = {
    "logistics_large_spend": SPEND_MAX,
    "logistics_medium_spend": SPEND_MAX,
    "logistics_frequent_orders": MONTHLY_ORDERS_MAX,
}
# the discretion of complaint handlers over compensation
COMPENSATION_MAXIMA = {
    "logistics_compensation_rate": PERCENT_MAX,
    "logistics_compensation_fixed_limit": SPEND_MAX,
}

# the sending rules of satisfaction surveys
SURVEY_MAXIMA = {
    "logistics_survey_sample_rate": PERCENT_MAX,
    "logistics_survey_throttle_days": VISIT_INTERVAL_DAYS_MAX,
    "logistics_survey_delay_hours": HOURS_MAX,
    "logistics_survey_expiry_days": VISIT_INTERVAL_DAYS_MAX,
    "logistics_csat_target": PERCENT_MAX,
}
# the rules of the loyalty programme
LOYALTY_MAXIMA = {
    "logistics_loyalty_earn_amount": SPEND_MAX,
    "logistics_loyalty_redeem_share": PERCENT_MAX,
    "logistics_loyalty_expiry_months": LOYALTY_MONTHS_MAX,
    "logistics_loyalty_expiring_days": VISIT_INTERVAL_DAYS_MAX,
}
# the weights of the health score and the care reminders
RELATIONSHIP_MAXIMA = {
    "logistics_health_weight_grade": PERCENT_MAX,
    "logistics_health_weight_otif": PERCENT_MAX,
    "logistics_health_weight_satisfaction": PERCENT_MAX,
    "logistics_health_weight_complaints": PERCENT_MAX,
    "logistics_health_weight_trend": PERCENT_MAX,
    "logistics_care_reminder_days": VISIT_INTERVAL_DAYS_MAX,
}
# {grade (False: ungraded): the setting that has it surveyed}
SURVEY_GRADE_FIELDS = {
    "A": "logistics_survey_grade_a",
    "B": "logistics_survey_grade_b",
    "C": "logistics_survey_grade_c",
    "D": "logistics_survey_grade_d",
    False: "logistics_survey_grade_none",
}


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "logistics.number.mixin"]

    _logistics_number_maxima = {
        **THRESHOLD_MAXIMA,
        **COMPENSATION_MAXIMA,
        **SURVEY_MAXIMA,
        **LOYALTY_MAXIMA,
        **RELATIONSHIP_MAXIMA,
    }

    logistics_large_spend = fields.Monetary(
        string="Large Enterprise Annual Spend",
        default=500000.0,
        help="Enterprises whose annual spend reaches this amount are large.",
    )
    logistics_medium_spend = fields.Monetary(
        string="Medium Enterprise Annual Spend",
        default=100000.0,
        help="Enterprises whose annual spend reaches this amount (and not the "
        "large one) are medium; below it they are small.",
    )
    logistics_frequent_orders = fields.Float(
        string="Frequent Individual Orders per Month",
        default=3.0,
        help="Individuals who order at least this many times a month on "
        "average are frequent; below it they are occasional.",
    )
    logistics_compensation_rate = fields.Float(
        string="Compensation Discretion (% of the order)",
        default=10.0,
        help="Compensation that specialists and supervisors grant without approval, "
        "as a share of the untaxed amount of the complaint's order.",
    )
    logistics_compensation_fixed_limit = fields.Monetary(
        string="Compensation Discretion without Order",
        default=100.0,
        help="Compensation granted without approval on a complaint linked to no order.",
    )
    logistics_complaint_default_user_id = fields.Many2one(
        "res.users",
        string="Complaint Default Owner",
        domain="[('share', '=', False)]",
        help="Who owns the complaints received by email or filed on the portal; "
        "empty: nobody until someone takes them.",
    )
    logistics_complaint_escalation_user_id = fields.Many2one(
        "res.users",
        string="Complaint Escalation User",
        domain="[('share', '=', False)]",
        help="Who is called in when a complaint breaches its deadline; empty: the company's Logistics CRM supervisors.",
    )
    logistics_complaint_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Complaint Working Hours",
        help="The working time in which complaint deadlines are counted; empty: round the clock.",
    )
    # off until an administrator turns it on: installing or upgrading the
    # module must not start mailing the customers of a running database
    logistics_survey_enabled = fields.Boolean(
        string="Satisfaction Surveys",
        help="Invite customers to a satisfaction survey when their deliveries are validated.",
    )
    logistics_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Questionnaire",
        default=lambda self: self.env.ref("logistics_crm.survey_delivery_satisfaction", raise_if_not_found=False),
        help="The questionnaire sent after deliveries (edited in the Survey app).",
    )
    logistics_survey_sample_rate = fields.Float(
        string="Survey Sample Rate (%)",
        default=100.0,
        help="The share of deliveries surveyed; each delivery is in the sample or not for good.",
    )
    logistics_survey_throttle_days = fields.Integer(
        string="One Survey per Customer within (days)",
        default=30,
        help="A customer invited within these days is not invited again; 0: no limit.",
    )
    logistics_survey_delay_hours = fields.Float(
        string="Survey Delay after Delivery (hours)",
        default=0.0,
        help="How long after the delivery the invitation is sent; 0: at once.",
    )
    logistics_survey_expiry_days = fields.Integer(
        string="Survey Link Valid for (days)",
        default=14,
        help="The personal link expires after these days.",
    )
    logistics_survey_grade_a = fields.Boolean(string="Survey Grade A Customers", default=True)
    logistics_survey_grade_b = fields.Boolean(string="Survey Grade B Customers", default=True)
    logistics_survey_grade_c = fields.Boolean(string="Survey Grade C Customers", default=True)
    logistics_survey_grade_d = fields.Boolean(string="Survey Grade D Customers", default=True)
    logistics_survey_grade_none = fields.Boolean(string="Survey Ungraded Customers", default=True)
    logistics_csat_target = fields.Float(
        string="CSAT Target (%)",
        default=85.0,
        help="The share of answers satisfied (4 or 5 of 5) the company aims at.",
    )

    logistics_loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Logistics Loyalty Programme",
        readonly=True,
        copy=False,
        help="The company's programme of the Loyalty app in which customers earn points on delivered freight.",
    )
    logistics_loyalty_earn_amount = fields.Float(
        string="Amount per Loyalty Point",
        digits=(16, 2),
        default=10.0,
        help="A delivery earns one point per this amount of its untaxed value, in the company's currency, "
        "times the customer's tier multiplier, rounded down.",
    )
    logistics_loyalty_redeem_share = fields.Float(
        string="Redeemable Share of an Order (%)",
        default=50.0,
        help="Points pay for at most this share of an order's untaxed amount.",
    )
    logistics_loyalty_expiry_months = fields.Integer(
        string="Loyalty Points Expire after (months)",
        default=24,
        help="Points expire this many months after they were earned, oldest first; 0: never.",
    )
    logistics_loyalty_expiring_days = fields.Integer(
        string="Points Expiring Soon within (days)",
        default=30,
        help="The customer's points that expire within these days are shown as expiring soon.",
    )
    logistics_loyalty_tier_mail = fields.Boolean(
        string="Mail Tier Changes",
        help="Customers are mailed when their loyalty tier changes.",
    )

    logistics_health_weight_grade = fields.Float(
        string="Health Weight: Grade", default=25.0, help="Weight of the customer's grade in its health score."
    )
    logistics_health_weight_otif = fields.Float(
        string="Health Weight: OTIF", default=25.0, help="Weight of the OTIF rate in the health score."
    )
    logistics_health_weight_satisfaction = fields.Float(
        string="Health Weight: Satisfaction",
        default=20.0,
        help="Weight of CSAT and NPS in the health score.",
    )
    logistics_health_weight_complaints = fields.Float(
        string="Health Weight: Complaints",
        default=15.0,
        help="Weight of the complaint rate in the health score (no complaint scores 100, 10 per 100 deliveries 0).",
    )
    logistics_health_weight_trend = fields.Float(
        string="Health Weight: Spend Trend",
        default=15.0,
        help="Weight of the spend of the last 90 days against the same period a year earlier.",
    )
    logistics_care_reminder_days = fields.Integer(
        string="Care Reminder (days before)",
        default=7,
        help="The salesperson gets a to-do this many days before a customer's care date.",
    )

    @api.constrains(*RELATIONSHIP_MAXIMA)
    def _check_logistics_relationship_settings(self):
        self._logistics_check_stored_numbers()

    @api.constrains(*LOYALTY_MAXIMA)
    def _check_logistics_loyalty_settings(self):
        self._logistics_check_stored_numbers()
        for company in self:
            if company.logistics_loyalty_earn_amount <= 0:
                raise ValidationError(self.env._("The amount per loyalty point must be more than 0."))

    @api.constrains(*SURVEY_MAXIMA)
    def _check_logistics_survey_settings(self):
        self._logistics_check_stored_numbers()
        for company in self:
            if company.logistics_survey_expiry_days < 1:
                raise ValidationError(self.env._("A survey link must be valid for one day at least."))

    @api.model
    def _logistics_set_default_survey(self):
        """Give the shipped questionnaire to the companies without one."""
        survey = self.env.ref("logistics_crm.survey_delivery_satisfaction", raise_if_not_found=False)
        if survey:
            self.search([("logistics_survey_id", "=", False)]).write({"logistics_survey_id": survey.id})

    def _logistics_survey_grade_selected(self, grade):
        """Whether customers of ``grade`` (False: ungraded) are surveyed."""
        self.ensure_one()
        return bool(self[SURVEY_GRADE_FIELDS[grade or False]])

    @api.constrains(
        "logistics_large_spend",
        "logistics_medium_spend",
        "logistics_frequent_orders",
        "logistics_compensation_rate",
        "logistics_compensation_fixed_limit",
    )
    def _check_logistics_thresholds(self):
        # finite and within bounds first: NaN compares False with everything
        self._logistics_check_stored_numbers()
        for company in self:
            if company.logistics_large_spend < company.logistics_medium_spend:
                raise ValidationError(
                    self.env._("The large enterprise spend cannot be below the medium enterprise spend.")
                )

    # the thresholds are checked before Odoo's own create and write of
    # companies run (the mixin checks them again, later in the chain)
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._logistics_check_numbers(vals)
        companies = super().create(vals_list)
        companies._logistics_ensure_loyalty_programs()
        return companies

    def write(self, vals):
        self._logistics_check_numbers(vals)
        thresholds = [fname for fname in THRESHOLD_MAXIMA if fname in vals]
        if not thresholds:
            return super().write(vals)
        before = {company: [company[fname] for fname in thresholds] for company in self}
        res = super().write(vals)
        changed = self.filtered(lambda company: [company[fname] for fname in thresholds] != before[company])
        if changed:
            changed._logistics_after_thresholds_change()
        return res

    def _logistics_after_thresholds_change(self):
        """Sizes derive from the size thresholds, and so do the grades of the
        rules that follow them: regrade the customers these companies have
        graded (their size with them), and resize their other classified
        customers."""
        # what the rules and the form showed from the former thresholds
        self.env["logistics.grade.rule"].invalidate_model(
            ["annual_spend_threshold", "monthly_orders_threshold", "threshold_summary"]
        )
        Grading = self.env["logistics.grading"]
        for company in self:
            # sudo: a system recomputation of derived fields, whatever the admin's partner rights
            partners = self.env["res.partner"].sudo().with_company(company)
            # the customers that the regrade below regrades
            graded = partners.search(
                expression.AND([Grading._customer_domain(company), [("logistics_grade", "!=", False)]])
            )
            classified = partners.with_context(active_test=False).search(
                [
                    ("logistics_customer_type", "in", ("enterprise", "individual")),
                    ("company_id", "in", [company.id, False]),
                ]
            )
            (classified - graded)._logistics_after_classification_change(company)
        self._logistics_regrade_customers_of_companies()

    def _logistics_size_thresholds(self):
        """The thresholds of this company that size customers (keyword
        arguments of ``tools.grading.compute_size``)."""
        self.ensure_one()
        return {
            "large_spend": self.logistics_large_spend,
            "medium_spend": self.logistics_medium_spend,
            "frequent_orders": self.logistics_frequent_orders,
        }

    def _logistics_regrade_customers_of_companies(self):
        """Regrade the customers these companies have graded (their grading
        rules or size thresholds changed)."""
        self.env["logistics.grading"]._regrade_graded_customers(self)

    # ------------------------------------------------------------------
    # loyalty
    # ------------------------------------------------------------------

    def _logistics_loyalty_program_values(self):
        """The values of this company's logistics programme: a loyalty
        programme of Odoo's Loyalty app with one discount reward (100 points
        = 10 in the company's currency, on the module's freight-discount
        product) and no earning rule: points are earned on delivery by the
        module, never by Odoo on an order."""
        self.ensure_one()
        product = self.env.ref("logistics_crm.product_freight_discount")
        return {
            "name": self.env._("Logistics Loyalty"),
            "program_type": "loyalty",
            "company_id": self.id,
            "currency_id": self.currency_id.id,
            "trigger": "auto",
            "applies_on": "both",
            "portal_visible": True,
            "portal_point_name": self.env._("Loyalty point(s)"),
            # explicitly empty: default_get would add Odoo's rule of a point per currency unit
            "rule_ids": [],
            "communication_plan_ids": [],
            "reward_ids": [
                Command.create(
                    {
                        "reward_type": "discount",
                        # 0.1 a point, from 100 points on: 100 points = 10
                        "discount_mode": "per_point",
                        "discount": 0.1,
                        "discount_applicability": "order",
                        "required_points": 100.0,
                        "discount_line_product_id": product.id,
                        "description": self.env._("Freight discount"),
                    }
                )
            ],
        }

    @api.model
    def _logistics_ensure_loyalty_programs(self):
        """Give these companies (all of them when called on none) their
        logistics programme, when they have none."""
        companies = self or self.search([])
        # sudo: the system sets up the programme of each company
        for company in companies.sudo().filtered(lambda c: not c.logistics_loyalty_program_id):
            program = (
                self.env["loyalty.program"]
                .sudo()
                .with_company(company)
                .with_context(tracking_disable=True)
                .create(company._logistics_loyalty_program_values())
            )
            company.logistics_loyalty_program_id = program
        return True
