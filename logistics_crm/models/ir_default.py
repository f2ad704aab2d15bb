from odoo import api, models
from odoo.exceptions import AccessError


class IrDefault(models.Model):
    _inherit = "ir.default"

    @api.model_create_multi
    def create(self, vals_list):
        defaults = super().create(vals_list)
        defaults._logistics_check_guarded_fields()
        return defaults

    def write(self, vals):
        res = super().write(vals)
        self._logistics_check_guarded_fields()
        return res

    def _logistics_check_guarded_fields(self):
        """A default value is one more way to set a field (and, for a
        company-dependent field, the value of every record where a company
        has set none): of a field guarded by role (logistics.guarded.mixin),
        only for users who may set it by hand."""
        if self.env.su:
            return
        guarded_model = self.pool["logistics.guarded.mixin"]
        # sudo: the fields of the defaults just written, whatever the user may read of the model registry
        for field in self.sudo().field_id:
            model = self.env[field.model]
            if not isinstance(model, guarded_model):
                continue
            if field.name in model._logistics_guarded_fields() - model._logistics_writable_fields():
                raise AccessError(
                    self.env._(
                        "%(field)s is set by role or by the system: it takes no default value from users.",
                        field=field.field_description,
                    )
                )
