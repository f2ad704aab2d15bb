from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError

MANAGER = "logistics_crm.group_logistics_crm_manager"


class LogisticsCxReportWizard(models.TransientModel):
    _name = "logistics.cx.report.wizard"
    _description = "Produce a Customer Experience Report"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=1),
        help="Any day of the month to report.",
    )

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only Logistics CRM managers produce customer experience reports."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You do not work in %(company)s.", company=self.company_id.name))
        report = self.env["logistics.cx.report"]._logistics_generate(self.company_id, self.month)
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.cx.report",
            "res_id": report.id,
            "view_mode": "form",
        }
