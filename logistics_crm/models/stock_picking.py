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

    def _compute_logistics_complaint_count(self):
        counts = self.env["logistics.complaint"]._logistics_counts("picking_id", set(self.ids))
        for picking in self:
            picking.logistics_complaint_count, picking.logistics_open_complaint_count = counts.get(picking.id, (0, 0))

    def action_logistics_view_complaints(self):
        self.ensure_one()
        return self.env["logistics.complaint"]._logistics_action_for(
            [("picking_id", "=", self.id)],
            {"default_picking_id": self.id},
        )
