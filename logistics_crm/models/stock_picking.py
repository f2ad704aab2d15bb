from odoo import api, fields, models

from .selections import GRADE_SELECTION

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )
    logistics_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )
    logistics_survey_ids = fields.One2many(
        "logistics.survey", "picking_id", string="Satisfaction Surveys", groups=SPECIALIST
    )

    # the customer's grade and tier when the delivery was created, stored so
    # that the Inventory lists and reports filter and group by them
    logistics_customer_grade = fields.Selection(
        GRADE_SELECTION,
        string="Customer Grade",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The grade of the customer in the delivery's company when the delivery was created.",
    )
    logistics_loyalty_tier_id = fields.Many2one(
        "logistics.loyalty.tier",
        string="Loyalty Tier",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The customer's loyalty tier when the delivery was created.",
    )

    logistics_customer_csat = fields.Float(
        string="Customer CSAT (%)",
        compute="_compute_logistics_customer_csat",
        groups=SPECIALIST,
        help="The customer's CSAT over the last 365 days in the company of the delivery.",
    )
    logistics_customer_open_complaints = fields.Integer(
        string="Customer's Open Complaints",
        compute="_compute_logistics_customer_open_complaints",
        groups=SPECIALIST,
    )

    @api.depends("partner_id", "company_id")
    def _compute_logistics_customer_csat(self):
        csat = self.env["res.partner"]._logistics_customer_figure(self, "logistics_csat")
        for picking in self:
            picking.logistics_customer_csat = csat.get(picking.id) or 0.0

    @api.depends("partner_id")
    def _compute_logistics_customer_open_complaints(self):
        counts = self.env["logistics.complaint"]._logistics_customer_open_counts(self)
        for picking in self:
            picking.logistics_customer_open_complaints = counts[picking.id]

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings._logistics_stamp_customer()
        return pickings

    def _logistics_stamp_customer(self):
        """Store the customer's grade and tier on these new deliveries, and
        star those of customers whose service level or tier asks for
        priority; one write per company, grade, tier and priority."""
        deliveries = self.filtered(lambda picking: picking.picking_type_code == "outgoing" and picking.partner_id)
        if not deliveries:
            return
        groups = {}
        for company in deliveries.company_id:
            pickings = deliveries.filtered(lambda picking, company=company: picking.company_id == company)
            # sudo: the system stamps the customer's grade and tier, which the
            # warehouse users who create deliveries may not read on the customer
            customers = pickings.partner_id.commercial_partner_id.sudo().with_company(company)
            levels = self.env["logistics.service.level"].sudo()._get_levels_by_grade(company)
            cards = (
                self.env["loyalty.card"]
                .sudo()
                .search([("logistics_company_id", "=", company.id), ("partner_id", "in", customers.ids)])
            )
            tiers = {card.partner_id.id: card.logistics_tier_id for card in cards}
            grades = {customer.id: customer.logistics_grade for customer in customers}
            for picking in pickings:
                customer_id = picking.partner_id.commercial_partner_id.id
                grade = grades.get(customer_id) or False
                tier = tiers.get(customer_id) or self.env["logistics.loyalty.tier"]
                level = levels.get(grade)
                priority = bool((level and level.delivery_priority) or tier.priority)
                key = (grade, tier.id, priority and picking.priority != "1")
                groups.setdefault(key, []).append(picking.id)
        for (grade, tier_id, star), ids in groups.items():
            vals = {"logistics_customer_grade": grade, "logistics_loyalty_tier_id": tier_id}
            if star:
                vals["priority"] = "1"
            if grade or tier_id or star:
                self.browse(ids).write(vals)

    def _compute_logistics_complaint_count(self):
        counts = self.env["logistics.complaint"]._logistics_counts("picking_id", set(self.ids))
        for picking in self:
            picking.logistics_complaint_count, picking.logistics_open_complaint_count = counts.get(picking.id, (0, 0))

    def _action_done(self):
        res = super()._action_done()
        # the satisfaction surveys of the deliveries validated, in one batch
        self.env["logistics.survey"]._logistics_create_for_pickings(self)
        # the loyalty points of the deliveries validated, in one batch
        self.env["loyalty.history"]._logistics_earn_for_pickings(self)
        self.env["loyalty.history"]._logistics_reverse_for_returns(self)
        return res

    def action_logistics_view_complaints(self):
        self.ensure_one()
        return self.env["logistics.complaint"]._logistics_action_for(
            [("picking_id", "=", self.id)],
            {"default_picking_id": self.id},
        )

    def action_logistics_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self.partner_id, picking=self)

    def action_logistics_force_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self.partner_id, picking=self, force=True)
