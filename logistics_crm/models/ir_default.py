from odoo import api, models
from odoo.exceptions import AccessError

from .res_partner import GUARDED_FIELDS


class IrDefault(models.Model):
    _inherit = "ir.default"

    @api.model_create_multi
    def create(self, vals_list):
        defaults = super().create(vals_list)
        defaults._logistics_check_partner_defaults()
        return defaults

    def write(self, vals):
        res = super().write(vals)
        self._logistics_check_partner_defaults()
        return res

    def _logistics_check_partner_defaults(self):
        """A default value for a customer's logistics field is one more way
        to set it (it also stands for the value of a company-dependent field
        where a company has set none): only for users who may set it by hand."""
        if self.env.su:
            return
        # sudo: the defaults just written, to know their fields
        fields = self.sudo().field_id.filtered(lambda f: f.model == "res.partner" and f.name in GUARDED_FIELDS)
        if fields and not set(fields.mapped("name")) <= self.env["res.partner"]._logistics_writable_fields():
            raise AccessError(
                self.env._("Default values of customer figures, grades and credit status are not user settings.")
            )
