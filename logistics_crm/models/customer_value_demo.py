from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _logistics_demo_service(self, late_every_old, late_every_recent, short_every, visited):
        """Demo data only (``demo/customer_value_demo.xml``; the module
        itself never calls this): a delivery service that improves over the
        year, the customers' KPIs, value and health, and their visits.

        The demo deliveries were validated on their order's date, all on time
        and in full. Here one in ``late_every_old`` of those older than six
        months, and one in ``late_every_recent`` of the newer ones, were due
        one to three days before they were done; one in ``short_every`` was
        short (a second unit demanded, one delivered). These are the system's
        dates and quantities, set in SQL for the demo only. Then the nightly
        actions run: KPIs, value, churn and health, visits and care dates,
        and the customer experience reports of the last three months.
        ``visited`` lists ``(customer xmlid, days ago)``: a visit planned and
        marked done by the salesperson, dated then."""
        company = self.env.ref("base.main_company")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH deliveries AS (
                    SELECT picking.id, picking.date_done,
                           ROW_NUMBER() OVER (ORDER BY picking.id) AS rank,
                           picking.date_done < NOW() - interval '182 days' AS old
                      FROM stock_picking picking
                      JOIN stock_picking_type picking_type
                        ON picking_type.id = picking.picking_type_id AND picking_type.code = 'outgoing'
                     WHERE picking.state = 'done' AND picking.company_id = %(company)s
                )
                UPDATE stock_picking picking
                   SET date_deadline = deliveries.date_done - (1 + MOD(deliveries.rank, 3)) * interval '1 day',
                       scheduled_date = deliveries.date_done - (1 + MOD(deliveries.rank, 3)) * interval '1 day'
                  FROM deliveries
                 WHERE picking.id = deliveries.id
                   AND MOD(deliveries.rank, CASE WHEN deliveries.old THEN %(old)s ELSE %(recent)s END) = 0
                """,
                company=company.id,
                old=late_every_old,
                recent=late_every_recent,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_move move
                   SET product_uom_qty = move.quantity + 1
                  FROM stock_picking picking
                 WHERE picking.id = move.picking_id
                   AND picking.state = 'done'
                   AND picking.company_id = %(company)s
                   AND MOD(picking.id, %(short)s) = 0
                """,
                company=company.id,
                short=short_every,
            )
        )
        self.env.invalidate_all()
        self._cron_logistics_customer_value()
        today = fields.Date.context_today(self)
        for xmlid, days_ago in visited:
            customer = self.env.ref(xmlid)
            activities = self._logistics_plan_visits(company, today=today).filtered(
                lambda activity, customer=customer: activity.res_id == customer.id
            )
            activities.with_user(customer.user_id).action_feedback(feedback="Quarterly review")
            customer._logistics_system_writer().write(
                {"logistics_last_visit_date": fields.Date.subtract(today, days=days_ago)}
            )
        self._cron_logistics_relationship()
        # the customer experience reports of the last three months
        Report = self.env["logistics.cx.report"]
        first = today.replace(day=1)
        for months in (3, 2, 1):
            Report._logistics_generate(company, fields.Date.subtract(first, months=months))
        return True
