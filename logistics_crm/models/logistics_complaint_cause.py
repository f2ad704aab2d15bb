from odoo import fields, models


class LogisticsComplaintCause(models.Model):
    _name = "logistics.complaint.cause"
    _description = "Complaint Root Cause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A root cause with this name already exists."),
    ]
