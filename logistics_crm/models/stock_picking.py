from odoo import fields, models

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
