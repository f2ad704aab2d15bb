"""A manager clears a wrong unhappy-customer alert and opens the monthly
report and the win-back analysis in a real browser (an Odoo tour in
Chromium). A tour that cannot run fails here: Odoo itself would report it as
skipped."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import MANAGER, LogisticsTourCase


@tagged("post_install", "-at_install")
class TestListeningTour(LogisticsTourCase):
    def test_unhappy_report_winback_tour(self):
        env = self.env
        manager = new_test_user(env, "tour_listening_manager", groups=MANAGER, company_id=env.company.id)
        customer = env["res.partner"].create({"name": "Tour Angry Shipper", "is_company": True})
        complaint = env["logistics.complaint"].create(
            {
                "partner_id": customer.id,
                "summary": "Crushed pallets again",
                "description": "<p>Third time the pallets arrive crushed! I demand compensation or we switch "
                "to another carrier.</p>",
            }
        )
        self.assertTrue(complaint.sentiment_alert)
        env["logistics.winback"].create(
            {"partner_id": customer.id, "company_id": env.company.id, "date": fields.Datetime.now(), "action": "call"}
        )
        month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        env["logistics.cx.report"]._logistics_generate(env.company, month)
        customers = env.ref("logistics_crm.res_partner_action_logistics_customers")
        self.start_tour(f"/odoo/action-{customers.id}", "logistics_crm_listening_tour", login=manager.login)
        complaint.invalidate_recordset()
        self.assertFalse(complaint.sentiment_alert)
        self.assertTrue(complaint.sentiment_alert_cleared)
