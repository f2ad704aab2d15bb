from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, split_every

from ..tools import satisfaction
from ..tools.grading import WINDOW_DAYS, compute_size
from ..tools.text import MAX_REASON_LENGTH, has_visible_text
from .logistics_complaint import OPEN_STATES as OPEN_COMPLAINT_STATES
from .res_partner_kpi import KPI_FIELDS
from .res_partner_value import VALUE_FIELDS
from .selections import (
    CREDIT_STATUS_SELECTION,
    CUSTOMER_TYPE_SELECTION,
    GOVERNMENT_LEVEL_SELECTION,
    GOVERNMENT_SIZES,
    GRADE_SELECTION,
    REGION_TIER_SELECTION,
    SIZE_SELECTION,
)

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
SUPERVISOR = "logistics_crm.group_logistics_crm_supervisor"

# Who may set which logistics fields by hand (the superuser and sudo() may
# set all but the system fields).
SPECIALIST_FIELDS = frozenset(
    {"logistics_customer_type", "logistics_region_tier", "logistics_government_level", "logistics_size"}
)
SUPERVISOR_FIELDS = frozenset(
    {"logistics_credit_status", "logistics_grade_override", "logistics_grade_override_reason"}
)
# Figures and grades computed by the system from sales data: never typed in.
SYSTEM_FIELDS = frozenset(
    {
        "logistics_grade",
        "logistics_annual_spend",
        "logistics_monthly_orders",
        "logistics_grade_computed",
        "logistics_grade_rule_id",
        "logistics_grade_credit_demoted",
        "logistics_grade_date",
    }
)
# The satisfaction figures of surveys, computed by the system.
SURVEY_FIGURE_FIELDS = frozenset(
    {"logistics_csat", "logistics_nps", "logistics_survey_response_rate", "logistics_survey_count"}
)
# Fields that hold one value per company (company-dependent): what a company
# sees of a customer it shares with other companies.
COMPANY_FIELDS = SUPERVISOR_FIELDS | SYSTEM_FIELDS | SURVEY_FIGURE_FIELDS | {"logistics_size"}
# What the grade is computed from, besides the sales: a change regrades.
GRADE_INPUT_FIELDS = frozenset({"logistics_customer_type", "industry_id", "logistics_credit_status"})
# What the size is derived from, besides the sales: a change resizes.
SIZE_INPUT_FIELDS = frozenset({"logistics_customer_type", "logistics_government_level", "logistics_size"})
# The classification of the commercial entity, never set on its contacts.
CLASSIFICATION_FIELDS = SPECIALIST_FIELDS | SUPERVISOR_FIELDS
# The value of the context key ``logistics_merge`` with which Contacts > Merge
# writes the merged contacts' values onto the destination, which keeps its own
# logistics values. An object no request can send, as the marker of
# logistics.guarded.mixin's system writes.
KEEP_LOGISTICS_VALUES = object()
# Selections sorted and grouped in the order of their values (tier-1 to
# rural, large to small, good to blocked), not alphabetically.
NATURAL_ORDER_FIELDS = frozenset(
    {
        "logistics_customer_type",
        "logistics_region_tier",
        "logistics_size",
        "logistics_government_level",
        "logistics_credit_status",
    }
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "logistics.guarded.mixin"]

    _logistics_field_groups = {
        **dict.fromkeys(SPECIALIST_FIELDS, SPECIALIST),
        **dict.fromkeys(SUPERVISOR_FIELDS, SUPERVISOR),
    }
    _logistics_system_fields = (
        SYSTEM_FIELDS
        | SURVEY_FIGURE_FIELDS
        | KPI_FIELDS
        | VALUE_FIELDS
        | {"logistics_last_visit_date", "logistics_welcomed_date"}
    )

    industry_id = fields.Many2one(tracking=True)
    logistics_customer_type = fields.Selection(
        CUSTOMER_TYPE_SELECTION,
        string="Customer Type",
        tracking=True,
        index=True,
        groups=SPECIALIST,
    )
    logistics_region_tier = fields.Selection(
        REGION_TIER_SELECTION,
        string="Region Tier",
        tracking=True,
        groups=SPECIALIST,
    )
    # "good" where a company has set nothing: an ir.default fallback (data)
    logistics_credit_status = fields.Selection(
        CREDIT_STATUS_SELECTION,
        string="Credit Status",
        company_dependent=True,
        copy=True,
        tracking=True,
        groups=SPECIALIST,
        help="A poor or blocked credit status lowers the computed grade by one step.",
    )
    logistics_is_supervisor = fields.Boolean(
        compute="_compute_logistics_is_supervisor",
        groups=SPECIALIST,
        help="Technical field: whether the current user may set credit status and grade overrides.",
    )
    logistics_currency_id = fields.Many2one(
        "res.currency",
        string="Logistics Currency",
        compute="_compute_logistics_currency_id",
        groups=SPECIALIST,
    )
    logistics_annual_spend = fields.Float(
        string="Annual Spend",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
        help="Untaxed amount of the customer's confirmed sale orders in this company "
        "(the customer and its contacts together) over the last 365 days, in the "
        "company's currency.",
    )
    logistics_monthly_orders = fields.Float(
        string="Orders per Month",
        digits=(16, 2),
        company_dependent=True,
        aggregator="avg",
        readonly=True,
        groups=SPECIALIST,
        help="Average number of confirmed sale orders a month in this company over the last 365 days.",
    )
    logistics_size = fields.Selection(
        SIZE_SELECTION,
        string="Customer Size",
        company_dependent=True,
        tracking=True,
        groups=SPECIALIST,
        help="Enterprises are sized by annual spend and individuals by order "
        "frequency, using the thresholds of the company settings; the size of a "
        "government customer is its government level.",
    )
    # one for all companies, like the customer type: the administrative level
    # of a government body; kept when the type changes, so that switching the
    # type away and back does not lose it
    logistics_government_level = fields.Selection(
        GOVERNMENT_LEVEL_SELECTION,
        string="Government Level",
        tracking=True,
        groups=SPECIALIST,
        help="The administrative level of a government customer (national, provincial or city), which is its size.",
    )
    logistics_grade_computed = fields.Selection(
        GRADE_SELECTION,
        string="Computed Grade",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
    )
    logistics_grade_rule_id = fields.Many2one(
        "logistics.grade.rule",
        string="Matched Grading Rule",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
    )
    logistics_grade_credit_demoted = fields.Boolean(
        string="Lowered for Credit",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
    )
    logistics_grade_override = fields.Selection(
        GRADE_SELECTION,
        string="Grade Override",
        company_dependent=True,
        tracking=True,
        groups=SPECIALIST,
        help="When set, this grade wins over the computed one.",
    )
    logistics_grade_override_reason = fields.Char(
        string="Override Reason",
        company_dependent=True,
        tracking=True,
        groups=SPECIALIST,
    )
    # the override or else the computed grade, written with them (stored per
    # company so that customers can be searched and grouped by grade)
    logistics_grade = fields.Selection(
        GRADE_SELECTION,
        string="Grade",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
    )
    logistics_grade_date = fields.Date(
        string="Last Graded",
        help="When the figures and grade were last computed in this company: by the nightly "
        "grading, the Recompute button, a confirmed or cancelled order, or a change of "
        "classification or grading rules.",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
    )
    logistics_grade_history_ids = fields.One2many(
        "logistics.grade.history",
        "partner_id",
        string="Grade History",
        groups=SPECIALIST,
    )
    logistics_service_level_id = fields.Many2one(
        "logistics.service.level",
        string="Service Level",
        compute="_compute_logistics_service_level_id",
        search="_search_logistics_service_level_id",
        groups=SPECIALIST,
    )
    logistics_visit_schedule = fields.Char(related="logistics_service_level_id.visit_schedule", groups=SPECIALIST)
    logistics_service_commitments = fields.Text(
        related="logistics_service_level_id.description", string="Service Commitments", groups=SPECIALIST
    )
    # what a contact shows of the company it belongs to
    logistics_commercial_grade = fields.Selection(
        related="commercial_partner_id.logistics_grade", string="Company Grade", groups=SPECIALIST
    )
    # short labels: they sit under "Complaint Targets"
    logistics_first_response_hours = fields.Float(
        related="logistics_service_level_id.first_response_hours", string="First Response (hours)", groups=SPECIALIST
    )
    logistics_resolution_hours = fields.Float(
        related="logistics_service_level_id.resolution_hours", string="Resolution (hours)", groups=SPECIALIST
    )
    logistics_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )
    logistics_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )
    logistics_open_complaint_ids = fields.Many2many(
        "logistics.complaint",
        string="Open Complaints List",
        compute="_compute_logistics_open_complaint_ids",
        groups=SPECIALIST,
        help="The open complaints of the customer the partner belongs to.",
    )
    logistics_delivery_priority = fields.Boolean(
        related="logistics_service_level_id.delivery_priority", groups=SPECIALIST
    )
    logistics_account_manager_required = fields.Boolean(
        related="logistics_service_level_id.account_manager_required", groups=SPECIALIST
    )

    # loyalty: the commercial customer's card in the current company's programme
    logistics_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        string="Loyalty Card",
        compute="_compute_logistics_loyalty_card_id",
        groups=SPECIALIST,
        help="The customer's card in the company's logistics loyalty programme, created when it first earns.",
    )
    logistics_loyalty_points = fields.Float(
        string="Loyalty Points",
        digits=(16, 0),
        compute="_compute_logistics_loyalty_card_id",
        groups=SPECIALIST,
        help="The balance of the customer's loyalty card in the current company.",
    )
    logistics_loyalty_points_12m = fields.Float(
        string="Points Earned in 12 Months",
        digits=(16, 0),
        compute="_compute_logistics_loyalty_card_id",
        groups=SPECIALIST,
        help="Points earned on deliveries over the trailing twelve months, less their reversals: they decide the tier.",
    )
    logistics_loyalty_tier_id = fields.Many2one(
        "logistics.loyalty.tier",
        string="Loyalty Tier",
        compute="_compute_logistics_loyalty_card_id",
        search="_search_logistics_loyalty_tier_id",
        groups=SPECIALIST,
        help="The customer's tier in the current company's loyalty programme.",
    )
    logistics_loyalty_expiring_points = fields.Float(
        string="Points Expiring Soon",
        digits=(16, 0),
        compute="_compute_logistics_loyalty_card_id",
        groups=SPECIALIST,
        help="The customer's points that expire within the company's 'expiring soon' days.",
    )

    # satisfaction surveys, over the last 365 days, per company
    logistics_csat = fields.Float(
        string="CSAT (%)",
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Share of the customer's answered satisfaction surveys of the last 365 days in this "
        "company with an overall satisfaction of 4 or 5 (of 5).",
    )
    logistics_nps = fields.Float(
        string="NPS",
        digits=(16, 0),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Net Promoter Score of the customer's answers of the last 365 days in this company: "
        "% of promoters (9-10) minus % of detractors (0-6), from -100 to 100.",
    )
    logistics_survey_response_rate = fields.Float(
        string="Survey Response Rate (%)",
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Share of the satisfaction surveys sent to the customer in the last 365 days that it answered.",
    )
    logistics_survey_count = fields.Integer(
        string="Surveys Sent",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
        help="Satisfaction surveys sent to the customer in the last 365 days in this company.",
    )

    @api.depends_context("uid")
    def _compute_logistics_is_supervisor(self):
        self.logistics_is_supervisor = self.env.user.has_group(SUPERVISOR)

    @api.depends_context("company")
    def _compute_logistics_currency_id(self):
        # the figures shown are the current company's, in its currency
        self.logistics_currency_id = self.env.company.currency_id

    def _compute_logistics_complaint_count(self):
        # the complaints of the customer the partner belongs to
        counts = self.env["logistics.complaint"]._logistics_counts(
            "commercial_partner_id", set(self.commercial_partner_id.ids)
        )
        for partner in self:
            total, open_count = counts.get(partner.commercial_partner_id.id, (0, 0))
            partner.logistics_complaint_count = total
            partner.logistics_open_complaint_count = open_count

    def _compute_logistics_open_complaint_ids(self):
        # one search for the whole batch, as the current user sees them
        complaints = self.env["logistics.complaint"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("state", "in", OPEN_COMPLAINT_STATES),
            ]
        )
        by_customer = defaultdict(list)
        for complaint in complaints:
            by_customer[complaint.commercial_partner_id.id].append(complaint.id)
        for partner in self:
            partner.logistics_open_complaint_ids = complaints.browse(by_customer[partner.commercial_partner_id.id])

    @api.model
    def _logistics_customer_figure(self, records, fname):
        """``{record id: the value of fname of its customer}`` for
        ``records`` (sale orders, deliveries) with a ``partner_id`` and a
        ``company_id``: the commercial customer's value in the record's
        company, read for the records of a company at once."""
        figures = {}
        for company in records.company_id:
            company_records = records.filtered(lambda record, company=company: record.company_id == company)
            customers = company_records.partner_id.commercial_partner_id.with_company(company)
            values = {customer.id: customer[fname] for customer in customers}
            for record in company_records:
                figures[record.id] = values.get(record.partner_id.commercial_partner_id.id)
        return figures

    def action_logistics_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self)

    def action_logistics_force_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self, force=True)

    def action_logistics_view_surveys(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.logistics_survey_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.model
    def _logistics_compute_survey_figures(self, partners, company, now=None):
        """Store the satisfaction figures of the commercial customers
        ``partners`` in ``company`` over the trailing 365 days: one
        aggregate query and one UPDATE, whatever their number."""
        partners = partners.commercial_partner_id
        if not partners:
            return
        now = now or fields.Datetime.now()
        self.env["logistics.survey"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.id,
                       COUNT(survey.id) FILTER (WHERE survey.state IN ('sent', 'answered', 'expired')) AS sent,
                       COUNT(survey.id) FILTER (WHERE survey.state = 'answered') AS answered,
                       COUNT(survey.id) FILTER (WHERE survey.state = 'answered' AND survey.csat_score > 0) AS rated,
                       COUNT(survey.id)
                           FILTER (WHERE survey.state = 'answered' AND survey.csat_score >= %(satisfied)s) AS satisfied,
                       COUNT(survey.nps_category) FILTER (WHERE survey.state = 'answered') AS recommended,
                       COUNT(survey.id) FILTER (WHERE survey.nps_category = 'promoter') AS promoters,
                       COUNT(survey.id) FILTER (WHERE survey.nps_category = 'detractor') AS detractors
                  FROM res_partner partner
             LEFT JOIN logistics_survey survey
                    ON survey.partner_id = partner.id
                   AND survey.company_id = %(company)s
                   AND survey.sent_date >= %(since)s
                 WHERE partner.id = ANY(%(ids)s)
              GROUP BY partner.id
                """,
                company=company.id,
                satisfied=satisfaction.SATISFIED_MIN,
                since=now - timedelta(days=WINDOW_DAYS),
                ids=partners.ids,
            )
        )
        rows = {}
        for partner_id, sent, answered, rated, satisfied, recommended, promoters, detractors in self.env.cr.fetchall():
            csat = round(100.0 * satisfied / rated, 1) if rated else None
            nps = round(100.0 * (promoters - detractors) / recommended) if recommended else None
            rows[partner_id] = (csat, nps, satisfaction.response_rate(answered, sent), sent)
        columns = {
            "logistics_csat": "float8",
            "logistics_nps": "float8",
            "logistics_survey_response_rate": "float8",
            "logistics_survey_count": "int4",
        }
        self._logistics_write_company_figures(company, columns, rows)

    @api.model
    def _cron_logistics_survey_figures(self, batch_size=1000):
        """Nightly: the satisfaction figures of every customer with surveys
        in the window, or with figures to clear, in every company, in
        batches (a constant number of queries each)."""
        since = fields.Datetime.now() - timedelta(days=WINDOW_DAYS + 1)
        # sudo: the nightly figures cover every customer of every company
        for company in self.env["res.company"].sudo().search([], order="id"):
            Partner = self.sudo().with_company(company)
            surveyed = (
                self.env["logistics.survey"]
                .sudo()
                ._read_group([("company_id", "=", company.id), ("sent_date", ">=", since)], ["partner_id"])
            )
            ids = {partner.id for (partner,) in surveyed}
            ids.update(Partner.search([("logistics_survey_count", ">", 0)]).ids)
            for batch in split_every(batch_size, sorted(ids), Partner.browse):
                self._logistics_compute_survey_figures(batch, company)

    def action_logistics_view_complaints(self):
        self.ensure_one()
        return self.env["logistics.complaint"]._logistics_action_for(
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.id},
        )

    # a contact is served at the level of the company it belongs to
    @api.depends("commercial_partner_id.logistics_grade")
    @api.depends_context("company")
    def _compute_logistics_service_level_id(self):
        # sudo: the service levels are configuration that this field (readable
        # by Logistics CRM users only) shows, whoever computes it
        levels = self.env["logistics.service.level"].sudo()._get_levels_by_grade(self.env.company)
        for partner in self:
            partner.logistics_service_level_id = levels.get(partner.commercial_partner_id.logistics_grade)

    def _search_logistics_service_level_id(self, operator, value):
        """Customers whose grade has, in the current company, a service level
        matching ``(operator, value)``; the value is a level id or name, a list
        of them, or False for no level."""
        Level = self.env["logistics.service.level"]
        levels = Level.browse([level.id for level in Level._get_levels_by_grade(self.env.company).values()])
        if value is None:
            value = False
        if operator in ("=", "!=") and value is False:
            graded = list(levels.mapped("grade"))
            return [("logistics_grade", "in" if operator == "!=" else "not in", graded)]
        negative = {"!=": "=", "not in": "in", "not ilike": "ilike"}
        positive_operator = negative.get(operator, operator)
        if positive_operator not in ("=", "in", "ilike"):
            raise UserError(
                self.env._(
                    "Customers cannot be searched by service level with the operator %(operator)s.",
                    operator=operator,
                )
            )
        values = value if isinstance(value, (list, tuple)) else [value]
        if positive_operator == "ilike":
            level_domain = [("name", "ilike", value)]
        elif all(isinstance(item, int) and not isinstance(item, bool) for item in values):
            level_domain = [("id", "in", list(values))]
        elif all(isinstance(item, str) for item in values):
            level_domain = [("name", "in", list(values))]
        else:
            raise UserError(self.env._("Search customers by service level with level names or ids."))
        grades = list(levels.filtered_domain(level_domain).mapped("grade"))
        return [("logistics_grade", "not in" if operator in negative else "in", grades)]

    @api.constrains("logistics_grade_override", "logistics_grade_override_reason")
    def _check_logistics_grade_override_reason(self):
        for partner in self:
            reason = partner.logistics_grade_override_reason or ""
            if partner.logistics_grade_override and not has_visible_text(reason):
                raise ValidationError(
                    self.env._("A grade override needs a reason (customer %(name)s).", name=partner.display_name)
                )
            if len(reason) > MAX_REASON_LENGTH:
                raise ValidationError(
                    self.env._(
                        "An override reason is at most %(max)s characters long (customer %(name)s).",
                        max=MAX_REASON_LENGTH,
                        name=partner.display_name,
                    )
                )

    # on the size only: a change of customer type is followed by a refresh
    # of the size (see write)
    @api.constrains("logistics_size")
    def _check_logistics_size(self):
        for partner in self:
            is_government = partner.logistics_customer_type == "government"
            if partner.logistics_size and (partner.logistics_size in GOVERNMENT_SIZES) != is_government:
                raise self._logistics_size_error(partner.display_name, is_government)

    def _logistics_size_error(self, name, is_government):
        """The error for a size that does not fit the type of customer ``name``."""
        if is_government:
            return ValidationError(
                self.env._(
                    "%(name)s is a government customer: its size is its government level "
                    "(national, provincial or city level).",
                    name=name,
                )
            )
        return ValidationError(
            self.env._(
                "The size of %(name)s is computed from its sales (enterprises by annual spend, "
                "individuals by orders per month); national, provincial and city level are "
                "for government customers.",
                name=name,
            )
        )

    def _logistics_size_as_level(self, vals, customers):
        """Return ``vals`` with a size typed by hand turned into what it
        sets: the government level of government customers. ``customers``
        are the ``(name, customer type)`` written. The size of the other
        types is computed: typing one is refused (but by the superuser)."""
        if "logistics_size" not in vals:
            return vals
        size = vals["logistics_size"]
        for name, customer_type in customers:
            is_government = customer_type == "government"
            if is_government and size and size not in GOVERNMENT_SIZES:
                raise self._logistics_size_error(name, is_government)
            if not is_government and size and (size in GOVERNMENT_SIZES or not self.env.su):
                raise self._logistics_size_error(name, is_government)
        if customers and all(customer_type == "government" for __, customer_type in customers):
            vals = {fname: value for fname, value in vals.items() if fname != "logistics_size"}
            vals["logistics_government_level"] = size
        return vals

    @api.constrains(*CLASSIFICATION_FIELDS)
    def _check_logistics_commercial_entity(self):
        for partner in self:
            if partner.commercial_partner_id == partner:
                continue
            if any(partner[fname] for fname in CLASSIFICATION_FIELDS - {"logistics_credit_status"}) or (
                partner.logistics_credit_status not in (False, "good")
            ):
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a contact of %(company)s: the logistics classification, "
                        "credit status and grade are set on %(company)s.",
                        contact=partner.display_name,
                        company=partner.commercial_partner_id.display_name,
                    )
                )

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        # a size the rules compute is never a default (the guarded mixin has
        # dropped the defaults of what the user may not set at all)
        if not self.env.su and defaults.get("logistics_size") not in (None, *GOVERNMENT_SIZES):
            del defaults["logistics_size"]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            self._logistics_size_as_level(
                vals,
                [
                    (
                        vals.get("name") or "",
                        vals["logistics_customer_type"]
                        if "logistics_customer_type" in vals
                        else self.default_get(["logistics_customer_type"]).get("logistics_customer_type"),
                    )
                ],
            )
            if "logistics_size" in vals
            else vals
            for vals in vals_list
        ]
        partners = super().create(vals_list)
        partners._logistics_after_classification_change()
        overridden = partners.filtered(lambda partner: partner.sudo().logistics_grade_override)
        if overridden:
            overridden._logistics_apply_override(dict.fromkeys(overridden.ids, False))
        return partners

    def write(self, vals):
        if self._logistics_in_system_write():
            return super().write(vals)
        if self.env.context.get("logistics_merge") is KEEP_LOGISTICS_VALUES:
            vals = {fname: value for fname, value in vals.items() if not fname.startswith("logistics_")}
        if "logistics_size" in vals:
            new_type = vals.get("logistics_customer_type")
            vals = self._logistics_size_as_level(
                vals,
                [
                    (
                        partner.display_name,
                        new_type if "logistics_customer_type" in vals else partner.sudo().logistics_customer_type,
                    )
                    for partner in self
                ],
            )
        self._logistics_check_write_access(vals)
        if self._logistics_write_needs_sudo(vals):
            # the user may see these customers (checked) and their role lets
            # them set these logistics fields, and only these (checked above),
            # without Odoo's right to edit contacts: sudo() for this write only
            self.check_access("read")
            return self.sudo().write(vals)
        override = "logistics_grade_override" in vals
        if override and not vals["logistics_grade_override"]:
            # removing an override removes its reason
            vals = dict(vals, logistics_grade_override_reason=False)
        old_grades = {partner.id: partner.sudo().logistics_grade for partner in self} if override else None
        res = super().write(vals)
        # an input of the grade changed: the graded customers are regraded at
        # once (their size with them), the others only resized
        regraded = self.browse()
        if vals.keys() & GRADE_INPUT_FIELDS:
            regraded = self.filtered(lambda p: p.commercial_partner_id == p and p.sudo().logistics_grade)
        if vals.keys() & SIZE_INPUT_FIELDS:
            (self - regraded)._logistics_after_classification_change()
        if override:
            self._logistics_apply_override(old_grades, override_removed=not vals["logistics_grade_override"])
        regraded._logistics_recompute_grades()
        return res

    # ------------------------------------------------------------------
    # natural order of the selections
    # ------------------------------------------------------------------

    def _logistics_natural_order(self, fname, sql):
        """``sql`` (the value of selection ``fname``) as its position in the
        selection, for ordering."""
        keys = [key for key, __ in self._fields[fname].selection]
        return SQL("array_position(%s::varchar[], (%s)::varchar)", keys, sql)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name in NATURAL_ORDER_FIELDS:
            sql = self._logistics_natural_order(field_name, self._field_to_sql(alias, field_name, query))
            return SQL("%s %s %s", sql, direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_orderby(self, order, groupby_terms, query):
        natural = {
            term: self._logistics_natural_order(term, sql)
            for term, sql in groupby_terms.items()
            if term in NATURAL_ORDER_FIELDS
        }
        return super()._read_group_orderby(order, {**groupby_terms, **natural}, query)

    def _fields_sync(self, values):
        # the batched writes of the grading hold only logistics figures and
        # grades, neither commercial nor address fields: there is nothing to
        # sync to the contacts (which would write every contact of every
        # regraded customer, one customer at a time)
        if self._logistics_in_system_write():
            return
        super()._fields_sync(values)

    def _mail_track(self, tracked_fields, initial_values):
        # a customer shared between companies has one credit status, size and
        # override per company: its chatter, which every company sees, does
        # not track them (the grade history of each company does)
        if not self.company_id and self.env["logistics.grading"]._has_several_companies():
            tracked_fields = {fname: info for fname, info in tracked_fields.items() if fname not in COMPANY_FIELDS}
        return super()._mail_track(tracked_fields, initial_values)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_logistics_grade_history(self):
        # sudo: the audit trail is searched whatever the user may read of it
        graded = self.env["logistics.grade.history"].sudo().search([("partner_id", "in", self.ids)]).partner_id
        if graded:
            raise UserError(
                self.env._(
                    "%(names)s cannot be deleted: its grade history is an audit trail. Archive it instead.",
                    names=", ".join(graded[:5].mapped("display_name")),
                )
            )

    def action_logistics_recompute_grade(self):
        if not self.env.user.has_group(SPECIALIST):
            raise AccessError(self.env._("Only Logistics CRM users can recompute customer grades."))
        customers = self.commercial_partner_id
        changed = customers._logistics_recompute_grades()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if changed else "info",
                "message": self.env._(
                    "%(changed)s of %(count)s customers regraded; the others did not change.",
                    changed=len(changed),
                    count=len(customers),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # access guards
    # ------------------------------------------------------------------

    def _logistics_write_needs_sudo(self, vals):
        """Whether ``vals`` are logistics fields the user's role lets them set
        on customers that Odoo's rights alone would not let them edit."""
        if self.env.su or not vals:
            return False
        writable = self._logistics_writable_fields()
        if not writable or not vals.keys() <= writable | {"industry_id"}:
            return False
        return not self.env["ir.model.access"].check(self._name, "write", raise_exception=False)

    # ------------------------------------------------------------------
    # grading
    # ------------------------------------------------------------------

    def _logistics_grading_company(self, company=None):
        """The company that grades this partner: its own, or else ``company``
        or the current one (for a customer shared between companies)."""
        self.ensure_one()
        return self.company_id or company or self.env.company

    def _logistics_ids_by_grading_company(self, company=None):
        """{company: ids of these partners that it grades} (see
        :meth:`_logistics_grading_company`)."""
        by_company = defaultdict(list)
        for partner in self:
            by_company[partner._logistics_grading_company(company)].append(partner.id)
        return by_company

    def _logistics_recompute_grades(self, company=None):
        """Regrade the customers among these partners: each in its own
        company, and a shared customer in ``company`` (default: the current
        company). Return those whose figures or grade changed."""
        changed = self.browse()
        for grading_company, ids in self._logistics_ids_by_grading_company(company).items():
            changed |= self.env["logistics.grading"]._grade(self.browse(ids), grading_company)
        return changed

    def _logistics_after_classification_change(self, company=None):
        """Refresh the size of the classified commercial partners, in the
        company that grades each (a shared customer in ``company``, default
        the current one), in one write per company and size."""
        # sudo: the size is derived by the system from the classification
        classified = self.sudo().filtered(lambda p: p.commercial_partner_id == p and p.logistics_customer_type)
        for grading_company, ids in classified._logistics_ids_by_grading_company(company).items():
            partners = self.sudo().with_company(grading_company).browse(ids)
            thresholds = grading_company._logistics_size_thresholds()
            by_size = defaultdict(list)
            for partner in partners:
                size = compute_size(
                    partner.logistics_customer_type,
                    partner.logistics_annual_spend,
                    partner.logistics_monthly_orders,
                    current_size=partner.logistics_size,
                    government_level=partner.logistics_government_level,
                    **thresholds,
                )
                if size != partner.logistics_size:
                    by_size[size].append(partner.id)
            for size, size_ids in by_size.items():
                partners.browse(size_ids)._logistics_system_writer().write({"logistics_size": size})

    def _logistics_apply_override(self, old_grades, override_removed=False):
        """Make the override (or, without one, the computed grade) the
        effective grade of these partners in the current company, and record
        the changes."""
        # sudo: the effective grade is a system field, set from the override
        # the user was allowed to write
        partners = self.sudo()
        by_grade = defaultdict(list)
        for partner in partners:
            grade = partner.logistics_grade_override or partner.logistics_grade_computed
            if grade != partner.logistics_grade:
                by_grade[grade].append(partner.id)
        for grade, ids in by_grade.items():
            partners.browse(ids)._logistics_system_writer().write({"logistics_grade": grade})
        self.env["logistics.grading"]._log_grade_changes(partners, old_grades, override_removed=override_removed)

    @api.model
    def _cron_logistics_recompute_grades(self, batch_size=1000):
        """The nightly grading (see ``logistics.grading._cron_grade``)."""
        return self.env["logistics.grading"]._cron_grade(batch_size=batch_size)

    @api.depends_context("company")
    def _compute_logistics_loyalty_card_id(self):
        company = self.env.company
        # sudo: the card of the customer, which the readers of the partner see
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("logistics_company_id", "=", company.id),
                    ("partner_id", "in", self.commercial_partner_id.ids),
                ]
            )
        )
        by_customer = {card.partner_id.id: card for card in cards}
        expiring = self.env["loyalty.history"]._logistics_expiring_points(cards)
        for partner in self:
            card = by_customer.get(partner.commercial_partner_id.id, cards.browse())
            partner.logistics_loyalty_card_id = card.id
            partner.logistics_loyalty_points = card.points
            partner.logistics_loyalty_points_12m = card.logistics_points_12m
            partner.logistics_loyalty_tier_id = card.logistics_tier_id.id
            partner.logistics_loyalty_expiring_points = expiring.get(card.id, 0.0)

    def action_logistics_view_loyalty_ledger(self):
        """The ledger of the customer's card in the current company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.loyalty_history_action_logistics")
        action["domain"] = [
            ("logistics_kind", "!=", False),
            ("logistics_partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
        ]
        action["display_name"] = self.env._(
            "Loyalty Ledger of %(customer)s", customer=self.commercial_partner_id.display_name
        )
        return action

    def _search_logistics_loyalty_tier_id(self, operator, value):
        """Partners whose commercial customer's card in the current company
        is (or is not) in the tiers searched."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Search the loyalty tier by equality or membership only."))
        positive = operator in ("=", "in")
        values = list(value) if isinstance(value, list | tuple) else [value]
        if values == [False]:
            # without a tier: the customers with one left out
            tier_domain = [("logistics_tier_id", "!=", False)]
            positive = not positive
        else:
            tier_domain = [("logistics_tier_id", "in", [v for v in values if v])]
        # sudo: the tiers of cards, which the readers of partners see
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(active_test=False)
            ._search([("logistics_company_id", "=", self.env.company.id), *tier_domain])
        )
        customers = cards.subselect("partner_id")
        if positive:
            return [("commercial_partner_id", "in", customers)]
        return [("commercial_partner_id", "not in", customers)]
