from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.selections import GRADE_SELECTION, REGION_TIER_SELECTION


class LogisticsDeliveryReport(models.Model):
    """Delivery service analysis: one row per done outgoing delivery, with
    whether it was on time (done no later than its deadline, else its
    scheduled date), in full (no backorder, no short or cancelled quantity)
    and both (OTIF), as 100 or 0 so that their average is the rate, and the
    lead time from the order's confirmation. The customer's grade is the one
    stamped on the delivery when it was created."""

    _name = "logistics.delivery.report"
    _description = "Delivery Service Analysis"
    _auto = False
    _order = "date_done desc, id desc"
    _depends = {
        "stock.picking": [
            "name",
            "state",
            "company_id",
            "partner_id",
            "picking_type_id",
            "date_done",
            "date_deadline",
            "scheduled_date",
            "backorder_id",
            "sale_id",
            "logistics_customer_grade",
            "logistics_loyalty_tier_id",
        ],
        "stock.move": ["picking_id", "state", "quantity", "product_uom_qty"],
        "res.partner": ["commercial_partner_id", "industry_id", "logistics_region_tier", "user_id"],
        "sale.order": ["date_order"],
    }

    name = fields.Char(string="Delivery", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", string="Industry", readonly=True)
    region_tier = fields.Selection(REGION_TIER_SELECTION, readonly=True)
    customer_grade = fields.Selection(GRADE_SELECTION, readonly=True)
    loyalty_tier_id = fields.Many2one("logistics.loyalty.tier", string="Loyalty Tier", readonly=True)
    date_done = fields.Datetime(string="Delivered On", readonly=True)
    on_time_rate = fields.Float(string="On Time (%)", aggregator="avg", readonly=True)
    in_full_rate = fields.Float(string="In Full (%)", aggregator="avg", readonly=True)
    otif_rate = fields.Float(string="OTIF (%)", aggregator="avg", readonly=True)
    lead_time_days = fields.Float(string="Lead Time (days)", aggregator="avg", readonly=True)
    delivery_count = fields.Integer(string="Deliveries", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    WITH deliveries AS (
                        SELECT picking.id,
                               picking.name,
                               picking.company_id,
                               customer.id AS partner_id,
                               customer.user_id,
                               customer.industry_id,
                               customer.logistics_region_tier AS region_tier,
                               picking.logistics_customer_grade AS customer_grade,
                               picking.logistics_loyalty_tier_id AS loyalty_tier_id,
                               picking.date_done,
                               picking.date_done <= COALESCE(picking.date_deadline, picking.scheduled_date) AS on_time,
                               NOT EXISTS (
                                   SELECT 1 FROM stock_picking backorder WHERE backorder.backorder_id = picking.id
                               )
                               AND NOT EXISTS (
                                   SELECT 1 FROM stock_move move
                                    WHERE move.picking_id = picking.id
                                      AND move.product_uom_qty > 0
                                      AND (move.state = 'cancel' OR move.quantity < move.product_uom_qty)
                               ) AS in_full,
                               EXTRACT(EPOCH FROM picking.date_done - sale.date_order) / 86400.0 AS lead_days
                          FROM stock_picking picking
                          JOIN stock_picking_type picking_type
                            ON picking_type.id = picking.picking_type_id AND picking_type.code = 'outgoing'
                          JOIN res_partner contact ON contact.id = picking.partner_id
                          JOIN res_partner customer ON customer.id = contact.commercial_partner_id
                     LEFT JOIN sale_order sale ON sale.id = picking.sale_id
                         WHERE picking.state = 'done'
                    )
                    SELECT id, id AS picking_id, name, company_id, partner_id, user_id, industry_id,
                           region_tier, customer_grade, loyalty_tier_id, date_done,
                           CASE WHEN on_time THEN 100.0 ELSE 0.0 END AS on_time_rate,
                           CASE WHEN in_full THEN 100.0 ELSE 0.0 END AS in_full_rate,
                           CASE WHEN on_time AND in_full THEN 100.0 ELSE 0.0 END AS otif_rate,
                           lead_days AS lead_time_days,
                           1 AS delivery_count
                      FROM deliveries
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
