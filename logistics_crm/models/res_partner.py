from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, float_compare

from ..tools.grading import WINDOW_DAYS, compute_grade, compute_size, monthly_average
from .selections import (
    CREDIT_STATUS_SELECTION,
    CUSTOMER_TYPE_SELECTION,
    GRADE_SELECTION,
    REGION_TIER_SELECTION,
    SIZE_SELECTION,
)

GOVERNMENT_SIZES = ("national", "provincial", "city")

# Who may write which logistics fields (the superuser and sudo() may write all).
SPECIALIST_FIELDS = frozenset({"logistics_customer_type", "logistics_region_tier", "logistics_size"})
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
# What the grading reads of each customer, besides its sales figures.
GRADING_STATE_FIELDS = (
    "company_id",
    "industry_id",
    "logistics_customer_type",
    "logistics_credit_status",
    "logistics_annual_spend",
    "logistics_monthly_orders",
    "logistics_size",
    "logistics_grade_computed",
    "logistics_grade_rule_id",
    "logistics_grade_credit_demoted",
)
# Fields whose change can change the effective grade.
GRADE_INPUT_FIELDS = frozenset({"logistics_grade_computed", "logistics_grade_override"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    industry_id = fields.Many2one(tracking=True)
    logistics_customer_type = fields.Selection(
        CUSTOMER_TYPE_SELECTION,
        string="Customer Type",
        tracking=True,
        index=True,
    )
    logistics_region_tier = fields.Selection(
        REGION_TIER_SELECTION,
        string="Region Tier",
        tracking=True,
    )
    logistics_credit_status = fields.Selection(
        CREDIT_STATUS_SELECTION,
        string="Credit Status",
        default="good",
        tracking=True,
        help="A poor or blocked credit status lowers the computed grade by one step.",
    )
    logistics_is_supervisor = fields.Boolean(
        compute="_compute_logistics_is_supervisor",
        help="Technical field: whether the current user may set credit status and grade overrides.",
    )
    logistics_currency_id = fields.Many2one(
        "res.currency",
        string="Logistics Currency",
        compute="_compute_logistics_currency_id",
    )
    logistics_annual_spend = fields.Monetary(
        string="Annual Spend",
        currency_field="logistics_currency_id",
        readonly=True,
        copy=False,
        help="Untaxed amount of the customer's confirmed sale orders (the company "
        "and its contacts together) over the last 365 days, in company currency.",
    )
    logistics_monthly_orders = fields.Float(
        string="Orders per Month",
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
        copy=False,
        help="Average number of confirmed sale orders a month over the last 365 days.",
    )
    logistics_size = fields.Selection(
        SIZE_SELECTION,
        string="Customer Size",
        compute="_compute_logistics_size",
        store=True,
        readonly=False,
        tracking=True,
        help="Enterprises are sized by annual spend and individuals by order "
        "frequency, using the thresholds of the company settings; the size of a "
        "government customer (national, provincial or city level) is set by hand.",
    )
    logistics_grade_computed = fields.Selection(
        GRADE_SELECTION,
        string="Computed Grade",
        readonly=True,
        copy=False,
    )
    logistics_grade_rule_id = fields.Many2one(
        "logistics.grade.rule",
        string="Matched Grading Rule",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    logistics_grade_credit_demoted = fields.Boolean(
        string="Lowered for Credit",
        readonly=True,
        copy=False,
    )
    logistics_grade_override = fields.Selection(
        GRADE_SELECTION,
        string="Grade Override",
        tracking=True,
        copy=False,
        help="When set, this grade wins over the computed one.",
    )
    logistics_grade_override_reason = fields.Char(
        string="Override Reason",
        tracking=True,
        copy=False,
    )
    logistics_grade = fields.Selection(
        GRADE_SELECTION,
        string="Grade",
        compute="_compute_logistics_grade",
        store=True,
        index=True,
        copy=False,
    )
    logistics_grade_date = fields.Date(
        string="Last Nightly Grading",
        readonly=True,
        copy=False,
    )
    logistics_grade_history_ids = fields.One2many(
        "logistics.grade.history",
        "partner_id",
        string="Grade History",
    )
    logistics_service_level_id = fields.Many2one(
        "logistics.service.level",
        string="Service Level",
        compute="_compute_logistics_service_level_id",
        search="_search_logistics_service_level_id",
    )
    logistics_visit_interval_days = fields.Integer(related="logistics_service_level_id.visit_interval_days")
    logistics_first_response_hours = fields.Float(related="logistics_service_level_id.first_response_hours")
    logistics_resolution_hours = fields.Float(related="logistics_service_level_id.resolution_hours")
    logistics_delivery_priority = fields.Boolean(related="logistics_service_level_id.delivery_priority")
    logistics_account_manager_required = fields.Boolean(related="logistics_service_level_id.account_manager_required")

    @api.depends_context("uid")
    def _compute_logistics_is_supervisor(self):
        self.logistics_is_supervisor = self.env.user.has_group("logistics_crm.group_logistics_crm_supervisor")

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_logistics_currency_id(self):
        for partner in self:
            partner.logistics_currency_id = (partner.company_id or self.env.company).currency_id

    @api.depends("logistics_customer_type", "logistics_annual_spend", "logistics_monthly_orders")
    def _compute_logistics_size(self):
        for partner in self:
            partner.logistics_size = compute_size(
                partner.logistics_customer_type,
                partner.logistics_annual_spend,
                partner.logistics_monthly_orders,
                current_size=partner.logistics_size,
                **self._logistics_size_thresholds(partner.company_id or self.env.company),
            )

    @api.depends("logistics_grade_computed", "logistics_grade_override")
    def _compute_logistics_grade(self):
        for partner in self:
            partner.logistics_grade = partner.logistics_grade_override or partner.logistics_grade_computed

    @api.depends("logistics_grade", "company_id")
    @api.depends_context("company")
    def _compute_logistics_service_level_id(self):
        levels_by_company = {}
        for partner in self:
            company = partner.company_id or self.env.company
            if company not in levels_by_company:
                levels_by_company[company] = self.env["logistics.service.level"]._get_levels_by_grade(company)
            partner.logistics_service_level_id = levels_by_company[company].get(partner.logistics_grade)

    def _search_logistics_service_level_id(self, operator, value):
        if value is False and operator in ("=", "!="):
            return [("logistics_grade", operator, False)]
        field = "name" if isinstance(value, str) else "id"
        levels = self.env["logistics.service.level"].search([(field, operator, value)])
        return [("logistics_grade", "in", list(set(levels.mapped("grade"))))]

    @api.constrains("logistics_grade_override", "logistics_grade_override_reason")
    def _check_logistics_grade_override_reason(self):
        for partner in self:
            if partner.logistics_grade_override and not (partner.logistics_grade_override_reason or "").strip():
                raise ValidationError(
                    self.env._("A grade override needs a reason (customer %(name)s).", name=partner.display_name)
                )

    @api.constrains("logistics_customer_type", "logistics_size")
    def _check_logistics_size(self):
        for partner in self:
            is_government_size = partner.logistics_size in GOVERNMENT_SIZES
            if partner.logistics_size and is_government_size != (partner.logistics_customer_type == "government"):
                raise ValidationError(
                    self.env._(
                        "National, provincial and city level are the sizes of government "
                        "customers only (customer %(name)s).",
                        name=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._logistics_check_write_access(vals)
        partners = super().create(vals_list)
        if any(GRADE_INPUT_FIELDS & vals.keys() for vals in vals_list):
            partners._logistics_log_grade_changes(dict.fromkeys(partners.ids, False))
        return partners

    def write(self, vals):
        self._logistics_check_write_access(vals)
        if not (GRADE_INPUT_FIELDS & vals.keys()) or self.env.context.get("logistics_grade_batch"):
            return super().write(vals)
        old_grades = {partner.id: partner.logistics_grade for partner in self}
        res = super().write(vals)
        override_removed = "logistics_grade_override" in vals and not vals["logistics_grade_override"]
        self._logistics_log_grade_changes(old_grades, override_removed=override_removed)
        return res

    def _fields_sync(self, values):
        # the batched writes of the grading hold only logistics figures and
        # grades, neither commercial nor address fields: there is nothing to
        # sync to the contacts (which would write every contact of every
        # regraded customer, one customer at a time)
        if self.env.context.get("logistics_grade_batch"):
            return
        super()._fields_sync(values)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if self.env.su:
            return vals_list
        # a duplicate carries only the logistics values the user may set
        user = self.env.user
        dropped = set()
        if not user.has_group("logistics_crm.group_logistics_crm_supervisor"):
            dropped |= SUPERVISOR_FIELDS
        if not user.has_group("logistics_crm.group_logistics_crm_specialist"):
            dropped |= SPECIALIST_FIELDS
        dropped -= set(default or ())
        for vals in vals_list:
            for fname in dropped:
                vals.pop(fname, None)
        return vals_list

    def action_logistics_recompute_grade(self):
        if not self.env.user.has_group("logistics_crm.group_logistics_crm_specialist"):
            raise AccessError(self.env._("Only Logistics CRM users can recompute customer grades."))
        self.commercial_partner_id._logistics_recompute_grades()
        return True

    @api.model
    def _logistics_check_write_access(self, vals):
        """Refuse to let a user write logistics fields beyond their role."""
        if self.env.su:
            return
        keys = vals.keys()
        if keys & SYSTEM_FIELDS:
            raise AccessError(self.env._("Customer figures and computed grades are set by the system, not by hand."))
        user = self.env.user
        if keys & SUPERVISOR_FIELDS and not user.has_group("logistics_crm.group_logistics_crm_supervisor"):
            raise AccessError(
                self.env._("Only Logistics CRM supervisors can change the credit status or override a grade.")
            )
        if keys & SPECIALIST_FIELDS and not user.has_group("logistics_crm.group_logistics_crm_specialist"):
            raise AccessError(self.env._("Only Logistics CRM users can change a customer's logistics classification."))

    @api.model
    def _logistics_grading_domain(self):
        """Customers the nightly grading covers: commercial entities that are
        classified, already graded, or have sale orders."""
        return [
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            "|",
            "|",
            "|",
            ("logistics_customer_type", "!=", False),
            ("logistics_grade", "!=", False),
            ("sale_order_ids", "!=", False),
            ("child_ids.sale_order_ids", "!=", False),
        ]

    @api.model
    def _logistics_sales_figures_sql(self, partner_ids, since):
        """Return the query of the sales figures of the commercial partners
        ``partner_ids``: rows of (commercial partner id, annual spend, order
        count) over the confirmed orders of the partners and their contacts
        dated from ``since``, the spend converted to the currency of each
        order's company."""
        return SQL(
            """
            SELECT partner.commercial_partner_id AS partner_id,
                   SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS spend,
                   COUNT(so.id) AS order_count
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.date_order >= %(since)s
               -- the partners and their contacts first (an init plan), so that
               -- the orders are found through the index on sale_order.partner_id
               -- instead of a scan of every order
               AND so.partner_id = ANY(ARRAY(
                       SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%(ids)s)
                   ))
          GROUP BY partner.commercial_partner_id
            """,
            since=since,
            ids=list(partner_ids),
        )

    def _logistics_flush_grading_inputs(self):
        self.env["sale.order"].flush_model(["state", "date_order", "amount_untaxed", "currency_rate", "partner_id"])
        self.flush_model(["commercial_partner_id", *GRADING_STATE_FIELDS])

    def _logistics_read_grading_state(self, now=None):
        """Return, in one query, the stored grading state of the commercial
        partners of ``self`` with their current sales figures: a list of
        dicts with the columns of GRADING_STATE_FIELDS, ``id``, ``spend`` and
        ``order_count``. Plain values, so that grading thousands of customers
        whose grade did not change costs no ORM work."""
        self._logistics_flush_grading_inputs()
        since = (now or fields.Datetime.now()) - timedelta(days=WINDOW_DAYS)
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.id, %(columns)s,
                       COALESCE(figures.spend, 0) AS spend,
                       COALESCE(figures.order_count, 0) AS order_count
                  FROM res_partner partner
             LEFT JOIN (%(figures)s) figures ON figures.partner_id = partner.id
                 WHERE partner.id = ANY(%(ids)s)
                   AND partner.commercial_partner_id = partner.id
                """,
                columns=SQL(", ").join(SQL("partner.%s", SQL.identifier(fname)) for fname in GRADING_STATE_FIELDS),
                figures=self._logistics_sales_figures_sql(self.ids, since),
                ids=list(self.ids),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _logistics_grading_context(self, company_id):
        """Return what grading needs of a company (the partner's, or the
        current one when the partner has none): its rules, currency and size
        thresholds."""
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        return {
            "rules": self.env["logistics.grade.rule"].sudo()._get_rules_for_company(company),
            "currency": company.currency_id,
            "size_thresholds": self._logistics_size_thresholds(company),
        }

    @api.model
    def _logistics_size_thresholds(self, company):
        return {
            "large_spend": company.logistics_large_spend,
            "medium_spend": company.logistics_medium_spend,
            "frequent_orders": company.logistics_frequent_orders,
        }

    def _logistics_recompute_grades(self):
        """Recompute the figures, size and grade of the commercial partners in
        ``self`` from their sales: one query reads the stored state and the
        figures of the whole batch, the ORM writes only what changed, in
        batch, and grade changes are logged in batch.

        Nothing is written for a partner whose figures and grade did not change,
        so that running it again is cheap and safe.
        """
        # sudo: figures and grades are derived by the system from sale orders;
        # the user only triggers the computation (and may not edit them by hand).
        partners = self.sudo()
        if not partners:
            return
        contexts = {}
        changes = defaultdict(list)
        for row in partners._logistics_read_grading_state():
            company_id = row["company_id"]
            if company_id not in contexts:
                contexts[company_id] = self._logistics_grading_context(company_id)
            context = contexts[company_id]
            spend = row["spend"]
            monthly = round(monthly_average(row["order_count"]), 2)
            grade, rule, demoted = compute_grade(
                context["rules"],
                spend,
                monthly,
                customer_type=row["logistics_customer_type"] or False,
                industry_id=row["industry_id"] or False,
                credit_status=row["logistics_credit_status"] or False,
            )
            # written with the figures (rather than left to its compute, which
            # would then run customer by customer during the batched writes)
            size = compute_size(
                row["logistics_customer_type"] or False,
                spend,
                monthly,
                current_size=row["logistics_size"] or False,
                **context["size_thresholds"],
            )
            vals = {}
            if context["currency"].compare_amounts(spend, row["logistics_annual_spend"] or 0.0):
                vals["logistics_annual_spend"] = spend
            if float_compare(monthly, row["logistics_monthly_orders"] or 0.0, precision_digits=2):
                vals["logistics_monthly_orders"] = monthly
            if size != (row["logistics_size"] or False):
                vals["logistics_size"] = size
            if grade != (row["logistics_grade_computed"] or False):
                vals["logistics_grade_computed"] = grade
            rule_id = rule.key if rule else False
            if rule_id != (row["logistics_grade_rule_id"] or False):
                vals["logistics_grade_rule_id"] = rule_id
            if demoted != bool(row["logistics_grade_credit_demoted"]):
                vals["logistics_grade_credit_demoted"] = demoted
            if vals:
                changes[tuple(sorted(vals.items()))].append(row["id"])
        if not changes:
            return
        changed = partners.browse([pid for ids in changes.values() for pid in ids])
        old_grades = {partner.id: partner.logistics_grade for partner in changed}
        writer = changed.with_context(tracking_disable=True, logistics_grade_batch=True)
        for items, ids in changes.items():
            # prefetch over all the changed partners: what write() reads of
            # each partner (users, contacts) is then read once for the batch
            writer.browse(ids).with_prefetch(writer._prefetch_ids).write(dict(items))
        changed.flush_recordset()
        # still sudo, so that users without access to the grading rules (a
        # salesperson confirming an order) can trigger it; env.user stays the
        # real user, who is recorded as the author of the changes
        changed._logistics_log_grade_changes(old_grades)

    def _logistics_grade_explanation(self):
        """Return why the computed grade of this partner is what it is."""
        self.ensure_one()
        if self.logistics_grade_rule_id:
            text = self.env._("Grading rule: %(rule)s", rule=self.logistics_grade_rule_id.name)
        else:
            text = self.env._("No grading rule matched")
        if self.logistics_grade_credit_demoted:
            credit = dict(self._fields["logistics_credit_status"]._description_selection(self.env))
            text = self.env._(
                "%(text)s; lowered one step for credit status %(credit)s",
                text=text,
                credit=credit.get(self.logistics_credit_status),
            )
        return text

    def _logistics_log_grade_changes(self, old_grades, override_removed=False):
        """Record every change of effective grade of ``self`` against
        ``old_grades`` ({partner id: grade}): one grade history entry and one
        chatter note with the tracked change per partner, created in batch."""
        changed = self.filtered(lambda p: p.logistics_grade != old_grades.get(p.id))
        if not changed:
            return
        user = self.env.user
        history_vals = []
        message_vals = []
        tracking_vals = []
        col_info = self.fields_get(["logistics_grade"])["logistics_grade"]
        tracking_model = self.env["mail.tracking.value"]
        note_subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        # what mail.message.create() would otherwise compute message by message
        email_from = user.partner_id.email_formatted
        reply_to = changed._notify_get_reply_to(default=email_from)
        for partner in changed:
            if partner.logistics_grade_override:
                origin = "override"
                reason = self.env._("Manual override: %(reason)s", reason=partner.logistics_grade_override_reason)
            else:
                origin = "computed"
                reason = partner._logistics_grade_explanation()
                if override_removed:
                    reason = self.env._("Override removed; %(reason)s", reason=reason)
            history_vals.append(
                {
                    "partner_id": partner.id,
                    "old_grade": old_grades.get(partner.id) or False,
                    "new_grade": partner.logistics_grade or False,
                    "origin": origin,
                    "reason": reason,
                    "user_id": user.id,
                }
            )
            message_vals.append(
                {
                    "model": partner._name,
                    "res_id": partner.id,
                    "message_type": "notification",
                    "subtype_id": note_subtype_id,
                    "is_internal": True,
                    "author_id": user.partner_id.id,
                    "email_from": email_from,
                    "reply_to": reply_to[partner.id],
                    "record_name": partner.display_name,
                    "body": Markup("<p>%s</p>") % reason,
                }
            )
            tracking_vals.append(
                tracking_model._create_tracking_values(
                    old_grades.get(partner.id) or False,
                    partner.logistics_grade or False,
                    "logistics_grade",
                    col_info,
                    partner,
                )
            )
        # sudo: the grade history and its chatter notes are an audit trail that
        # only the system writes; users can read them but never create them.
        self.env["logistics.grade.history"].sudo().create(history_vals)
        messages = self.env["mail.message"].sudo().create(message_vals)
        # the tracked values of all the notes in one batch (mail.message.create()
        # would create them note by note)
        tracking_model.sudo().create(
            [dict(vals, mail_message_id=message.id) for message, vals in zip(messages, tracking_vals, strict=True)]
        )

    @api.model
    def _cron_logistics_recompute_grades(self, batch_size=1000):
        """Nightly grading, one batch per call: customers not yet graded today,
        by id. What is done is marked with today's date, so a rerun after an
        interruption resumes where it stopped; the cron framework calls again
        while :meth:`_notify_progress` reports work remaining."""
        today = fields.Date.context_today(self)
        domain = expression.AND(
            [
                self._logistics_grading_domain(),
                ["|", ("logistics_grade_date", "=", False), ("logistics_grade_date", "<", today)],
            ]
        )
        partners = self.search(domain, limit=batch_size, order="id")
        partners._logistics_recompute_grades()
        # sudo: the grading date is a system marker, not a user-editable field
        partners.sudo().with_context(tracking_disable=True, logistics_grade_batch=True).write(
            {"logistics_grade_date": today}
        )
        remaining = self.search_count(domain) if len(partners) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return len(partners)
