"""Fixtures of the satisfaction survey tests: customers with a contact who
has an email, goods, and deliveries validated as a warehouse user does."""

from odoo import Command

from .common import LogisticsCrmCommon

# {dimension: score} of a happy customer
HAPPY = {
    "overall": 5,
    "timeliness": 5,
    "condition": 4,
    "accuracy": 5,
    "attitude": 4,
    "price": 4,
    "communication": 5,
    "recommend": 10,
}


class LogisticsSurveyCommon(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.questionnaire = cls.env.ref("logistics_crm.survey_delivery_satisfaction")
        cls.company.write(
            {
                "logistics_survey_enabled": True,
                "logistics_survey_id": cls.questionnaire.id,
                "logistics_survey_sample_rate": 100.0,
                "logistics_survey_throttle_days": 30,
                "logistics_survey_delay_hours": 0.0,
                "logistics_survey_expiry_days": 14,
            }
        )
        cls.goods = cls.env["product.product"].create({"name": "Pallet", "type": "consu", "list_price": 10.0})

    @classmethod
    def _create_shipper(cls, name, **values):
        customer = cls._create_customer(name, email=f"{name.lower().replace(' ', '.')}@example.com", **values)
        contact = cls.env["res.partner"].create(
            {"name": f"Buyer of {name}", "parent_id": customer.id, "email": f"buyer.{customer.id}@example.com"}
        )
        return customer, contact

    @classmethod
    def _order_delivery(cls, partner, qty=2):
        """A confirmed order of ``qty`` pallets for ``partner``: its delivery."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": cls.goods.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        return order.picking_ids

    @classmethod
    def _validate(cls, pickings, qty=None, backorder=True):
        """Validate ``pickings`` (``qty`` of each move, default all), with a
        backorder for the rest or without one."""
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
            move.picked = True
        result = pickings.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = cls.env["stock.backorder.confirmation"].with_context(**result["context"]).create({})
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return pickings

    def _surveys(self, partner):
        return self.env["logistics.survey"].search([("partner_id", "=", partner.commercial_partner_id.id)])

    def _answer(self, survey, scores, comment=None):
        """Answer ``survey``'s questionnaire as Odoo's survey page does:
        save each line, then mark the answer done."""
        answer = survey.user_input_id.sudo()
        for question in answer.survey_id.question_ids:
            dimension = question.logistics_dimension
            if dimension == "comment":
                if comment:
                    answer._save_lines(question, comment)
            elif dimension in scores:
                answer._save_lines(question, str(scores[dimension]))
        answer._mark_done()
        return answer
