from odoo import fields, models

from .selections import GRADE_SELECTION


class LogisticsGradeHistory(models.Model):
    _name = "logistics.grade.history"
    _description = "Customer Grade Change"
    _order = "date desc, id desc"
    _log_access = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    # the company whose grade of the customer changed (a customer shared
    # between companies has one grade, and one history, per company)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    old_grade = fields.Selection(GRADE_SELECTION, readonly=True)
    new_grade = fields.Selection(GRADE_SELECTION, readonly=True)
    origin = fields.Selection(
        [("computed", "Computed"), ("override", "Manual Override")],
        required=True,
        readonly=True,
    )
    reason = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        default=lambda self: self.env.user,
        readonly=True,
    )
