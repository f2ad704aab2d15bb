"""A specialist goes through the Logistics CRM overview to a customer's 360
view in a real browser (an Odoo tour in Chromium). A tour that cannot run
fails here: Odoo itself would report it as skipped."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import SPECIALIST, LogisticsTourCase


@tagged("post_install", "-at_install")
class TestOverviewTour(LogisticsTourCase):
    def test_overview_to_360_tour(self):
        env = self.env
        company = env.company
        company.logistics_survey_enabled = False
        specialist = new_test_user(
            env,
            "tour_overview_specialist",
            groups=f"{SPECIALIST},sales_team.group_sale_salesman_all_leads,stock.group_stock_user",
            company_id=company.id,
        )
        customer = env["res.partner"].create(
            {"name": "Tour Drifting Shipper", "is_company": True, "user_id": specialist.id}
        )
        goods = env["product.product"].create({"name": "Tour pallet", "type": "consu", "list_price": 100.0})
        orders = env["sale.order"].create(
            [{"partner_id": customer.id, "order_line": [Command.create({"product_id": goods.id})]} for __ in range(3)]
        )
        orders.action_confirm()
        # two deliveries: one late, one on time
        for index, picking in enumerate(orders[:2].picking_ids):
            due = fields.Datetime.now() + timedelta(days=-2 if index else 2)
            picking.move_ids.write({"date_deadline": due, "quantity": 1, "picked": True})
            picking.button_validate()
        # ordered every ten days, silent for two months: overdue
        for days, order in zip((80, 70, 60), orders, strict=True):
            env.cr.execute(
                SQL(
                    "UPDATE sale_order SET date_order = %s WHERE id = %s",
                    fields.Datetime.now() - timedelta(days=days),
                    order.id,
                )
            )
        env.invalidate_all()
        env["logistics.care.date"].create(
            {"partner_id": customer.id, "name": "Founding anniversary", "kind": "anniversary", "date": "2008-04-18"}
        )
        env["res.partner"]._cron_logistics_customer_value()
        self.assertTrue(customer.with_company(company).logistics_churn_risk)
        customers = env.ref("logistics_crm.res_partner_action_logistics_customers")
        self.start_tour(f"/odoo/action-{customers.id}", "logistics_crm_overview_tour", login=specialist.login)
