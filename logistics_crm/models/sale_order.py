from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .selections import GRADE_SELECTION

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_customer_grade = fields.Selection(
        GRADE_SELECTION,
        string="Customer Grade",
        compute="_compute_logistics_customer_grade",
        help="Grade of the customer in the company of the order.",
    )

    logistics_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )
    logistics_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )

    def action_logistics_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self.partner_id, order=self)

    def action_logistics_force_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self.partner_id, order=self, force=True)

    @api.depends("partner_id", "company_id")
    def _compute_logistics_customer_grade(self):
        self.logistics_customer_grade = False
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            # sudo: the grade of the order's customer is shown to whoever may
            # read the order (salespeople without a Logistics CRM role
            # included); the customer's other figures stay restricted. Read
            # in the order's company, for the orders of a company at once.
            customers = orders.partner_id.commercial_partner_id.sudo().with_company(company)
            grades = {customer.id: customer.logistics_grade for customer in customers}
            for order in orders:
                order.logistics_customer_grade = grades[order.partner_id.commercial_partner_id.id]

    def _compute_logistics_complaint_count(self):
        counts = self.env["logistics.complaint"]._logistics_counts("sale_order_id", set(self.ids))
        for order in self:
            order.logistics_complaint_count, order.logistics_open_complaint_count = counts.get(order.id, (0, 0))

    def action_logistics_view_complaints(self):
        self.ensure_one()
        return self.env["logistics.complaint"]._logistics_action_for(
            [("sale_order_id", "=", self.id)],
            {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id},
        )

    def init(self):
        res = super().init()
        # the grading reads the confirmed orders of a batch of customers in a
        # company over a date window, and their amounts: all from this index
        # (an index-only scan), not from the orders themselves
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS sale_order_logistics_grading_index
                    ON sale_order (partner_id, company_id, state, date_order)
                    INCLUDE (amount_untaxed, currency_rate)
                """
            )
        )
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        self._logistics_recompute_customer_grades()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._logistics_recompute_customer_grades()
        return res

    def _logistics_recompute_customer_grades(self):
        """Regrade the customers of these orders (their commercial entities),
        in the company of the orders."""
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            orders.partner_id.commercial_partner_id._logistics_recompute_grades(company)

    @api.model
    def _logistics_create_demo_orders(self, specs):
        """Create confirmed, delivered demo orders dated in the past year.

        ``specs`` is a list of ``(partner xmlid, product xmlid, order count,
        unit price, first day ago, last day ago)``: the orders are spread evenly
        between those two days ago, each for one unit, and their deliveries are
        validated on the order date. The salesperson of an order is the
        customer's (or its commercial entity's) where it has one, so that the
        salesperson finds the orders behind the customer's figures; otherwise
        Odoo's default. Used by the demo data only.
        """
        now = fields.Datetime.now()
        orders = self.browse()
        order_dates = {}
        for partner_xmlid, product_xmlid, count, price, first_day, last_day in specs:
            partner = self.env.ref(partner_xmlid)
            product = self.env.ref(product_xmlid)
            salesperson = partner.user_id or partner.commercial_partner_id.user_id
            step = (first_day - last_day) / max(count - 1, 1)
            for index in range(count):
                values = {
                    "partner_id": partner.id,
                    "order_line": [
                        fields.Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": price})
                    ],
                }
                if salesperson:
                    values["user_id"] = salesperson.id
                order = self.create(values)
                order_dates[order.id] = now - timedelta(days=round(first_day - index * step))
                orders |= order
        orders.action_confirm()
        pickings = orders.picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings._action_done()
        for order in orders:
            order.date_order = order_dates[order.id]
            order.picking_ids.date_done = order_dates[order.id]
        orders._logistics_recompute_customer_grades()
        return orders
