"""The audit of who reads customer data in bulk, exports it or changes
credit status and overrides (``logistics.access.log``)."""

from odoo import models

# the classification changes recorded, by the operation they are
AUDITED_CHANGES = {
    "logistics_credit_status": "credit_change",
    "logistics_grade_override": "override_change",
    "logistics_grade_override_reason": "override_change",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _logistics_audited_fields(self, field_names):
        """The logistics fields among ``field_names`` (paths like
        ``parent_id/logistics_grade`` included)."""
        return {fname for fname in field_names if any(part.startswith("logistics_") for part in fname.split("/"))}

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load=load)
        # a user (not the system) reading the logistics fields of more
        # customers than the threshold in one call; the fields are those read
        # (all those the user may read when ``fields`` is not given)
        if not self.env.su and len(self) > self.env["logistics.access.log"]._logistics_bulk_threshold():
            audited = self._logistics_audited_fields(result[0] if result else ())
            if audited:
                self.env["logistics.access.log"]._logistics_log("bulk_read", self._name, len(self), audited)
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        audited = self._logistics_audited_fields(fields_to_export)
        if audited and not self.env.su:
            self.env["logistics.access.log"]._logistics_log("export", self._name, len(self), audited)
        return result

    def write(self, vals):
        changed = {fname: AUDITED_CHANGES[fname] for fname in vals if fname in AUDITED_CHANGES}
        res = super().write(vals)
        if changed and not self.env.su and not self._logistics_in_system_write():
            self.env["logistics.access.log"]._logistics_log_entries(
                [
                    (operation, self._name, len(self), [fname for fname in changed if changed[fname] == operation])
                    for operation in sorted(set(changed.values()))
                ]
            )
        return res
