from odoo import fields, models


class LogisticsComplaintCategory(models.Model):
    _name = "logistics.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    cargo_incident = fields.Boolean(
        string="Cargo Incident",
        help="Complaints of this category are damage or loss of cargo: they count in the customer's "
        "damage and loss rate.",
    )

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A complaint category with this name already exists."),
    ]
