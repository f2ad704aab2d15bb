"""Relationship maintenance: scheduled customer visits and account managers."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import split_every

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
VISIT_TYPE = "logistics_crm.mail_activity_type_customer_visit"


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_last_visit_date = fields.Date(
        string="Last Visit",
        readonly=True,
        copy=False,
        groups=SPECIALIST,
        help="When a Customer visit activity of the customer was last marked done.",
    )
    logistics_visit_count = fields.Integer(string="Visits", compute="_compute_logistics_visit_count", groups=SPECIALIST)
    logistics_care_date_ids = fields.One2many(
        "logistics.care.date", "partner_id", string="Care Dates", groups=SPECIALIST
    )
    logistics_needs_account_manager = fields.Boolean(
        string="Needs an Account Manager",
        compute="_compute_logistics_needs_account_manager",
        search="_search_logistics_needs_account_manager",
        groups=SPECIALIST,
        help="The customer's service level requires a dedicated account manager (its salesperson) and it has none.",
    )

    def _compute_logistics_visit_count(self):
        visit_type = self.env.ref(VISIT_TYPE, raise_if_not_found=False)
        counts = dict(
            self.env["mail.activity"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.commercial_partner_id.ids),
                    ("activity_type_id", "=", visit_type.id if visit_type else False),
                    ("active", "=", False),
                ],
                ["res_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.logistics_visit_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.depends("user_id", "commercial_partner_id.logistics_grade")
    @api.depends_context("company")
    def _compute_logistics_needs_account_manager(self):
        for partner in self:
            customer = partner.commercial_partner_id
            partner.logistics_needs_account_manager = bool(
                customer.logistics_account_manager_required and not customer.user_id
            )

    def _search_logistics_needs_account_manager(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Search this field with = or != and True or False only."))
        levels = self.env["logistics.service.level"].sudo()._get_levels_by_grade(self.env.company)
        grades = [grade for grade, level in levels.items() if level.account_manager_required]
        domain = [("logistics_grade", "in", grades), ("user_id", "=", False), ("parent_id", "=", False)]
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    def action_logistics_view_visits(self):
        self.ensure_one()
        visit_type = self.env.ref(VISIT_TYPE)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visits of %(customer)s", customer=self.commercial_partner_id.display_name),
            "res_model": "mail.activity",
            "view_mode": "list,form",
            "domain": [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.commercial_partner_id.id),
                ("activity_type_id", "=", visit_type.id),
            ],
            "context": {"active_test": False},
        }

    @api.model
    def _logistics_plan_visits(self, company, today=None):
        """A Customer visit activity for the salesperson of each customer of
        ``company`` whose service level has a visit interval and whose last
        visit is older than it (or who was never visited), unless one is
        already open; created in one batch. Return the activities."""
        today = today or fields.Date.context_today(self)
        visit_type = self.env.ref(VISIT_TYPE)
        # sudo: the system plans the visits of every customer of the company
        Partner = self.sudo().with_company(company)
        levels = self.env["logistics.service.level"].sudo()._get_levels_by_grade(company)
        partners = Partner.browse()
        for grade, level in levels.items():
            if not level.visit_interval_days:
                continue
            partners |= Partner.search(
                [
                    ("logistics_grade", "=", grade),
                    ("parent_id", "=", False),
                    ("user_id", "!=", False),
                    ("company_id", "in", [company.id, False]),
                    "|",
                    ("logistics_last_visit_date", "=", False),
                    ("logistics_last_visit_date", "<=", today - timedelta(days=level.visit_interval_days)),
                    ("activity_ids", "not any", [("activity_type_id", "=", visit_type.id)]),
                ]
            )
        activities = self.env["mail.activity"]
        summary = self.env._("Scheduled customer visit")
        for batch in split_every(1000, partners.ids, Partner.browse):
            activities |= activities._logistics_schedule(
                visit_type,
                [
                    (partner, {"summary": summary, "user_id": partner.user_id.id, "date_deadline": today})
                    for partner in batch
                ],
            )
        return activities

    @api.model
    def _cron_logistics_relationship(self):
        """Daily: plan the customer visits and remind the care dates."""
        # sudo: every company's customers
        for company in self.env["res.company"].sudo().search([], order="id"):
            self._logistics_plan_visits(company)
        self.env["logistics.care.date"]._cron_remind()
