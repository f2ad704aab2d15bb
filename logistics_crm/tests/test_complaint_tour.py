"""A specialist takes a complaint from new to resolved in a real browser (an
Odoo tour in Chromium). A tour that cannot run fails here: Odoo itself would
report it as skipped."""

from odoo.tests import new_test_user, tagged

from .common import SPECIALIST, LogisticsTourCase


@tagged("post_install", "-at_install")
class TestComplaintTour(LogisticsTourCase):
    def test_specialist_resolves_a_complaint_tour(self):
        specialist = new_test_user(self.env, "tour_complaint_specialist", groups=SPECIALIST)
        customer = self.env["res.partner"].create({"name": "Tour Consignee", "is_company": True})
        complaint = (
            self.env["logistics.complaint"]
            .with_user(specialist)
            .create({"partner_id": customer.id, "summary": "Pallet left in the rain"})
        )
        action = self.env.ref("logistics_crm.logistics_complaint_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{complaint.id}",
            "logistics_crm_complaint_tour",
            login="tour_complaint_specialist",
        )
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "resolved",
                    "cause_id": self.env.ref("logistics_crm.complaint_cause_service_quality").id,
                    "liable_party": "carrier",
                    "corrective_action": "Redelivered the next morning",
                }
            ],
        )
        self.assertTrue(complaint.first_response_date)
