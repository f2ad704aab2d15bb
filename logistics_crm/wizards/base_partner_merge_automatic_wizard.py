from psycopg2.extras import Json

from odoo import api, models
from odoo.tools import SQL

from ..models.res_partner import KEEP_LOGISTICS_VALUES


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _logistics_company_fields(self, partner):
        return [
            fname
            for fname, field in partner._fields.items()
            if fname.startswith("logistics_") and field.company_dependent
        ]

    @api.model
    def _update_reference_fields(self, src_partners, dst_partner):
        # the wizard fills, in SQL, the per-company values the destination
        # lacks with those of the merged contacts: not the logistics ones,
        # which the destination keeps as they are (regraded below)
        fnames = self._logistics_company_fields(dst_partner)
        dst_partner.flush_recordset(fnames)
        columns = SQL(", ").join(SQL.identifier(fname) for fname in fnames)
        self.env.cr.execute(SQL("SELECT %s FROM res_partner WHERE id = %s", columns, dst_partner.id))
        kept = self.env.cr.fetchone()
        res = super()._update_reference_fields(src_partners, dst_partner)
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET %s WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(fname), Json(value) if value is not None else None)
                    for fname, value in zip(fnames, kept, strict=True)
                ),
                dst_partner.id,
            )
        )
        dst_partner.invalidate_recordset(fnames)
        return res

    @api.model
    def _update_values(self, src_partners, dst_partner):
        # the destination keeps its own logistics classification, figures and
        # grades: the wizard writes every field of the merged contacts onto
        # it, and res.partner leaves the logistics ones out of that write
        res = super()._update_values(src_partners, dst_partner.with_context(logistics_merge=KEEP_LOGISTICS_VALUES))
        # the sale orders and grade history of the merged contacts point to
        # the destination now (_update_foreign_keys ran first): regrade it
        dst_partner.commercial_partner_id._logistics_recompute_grades()
        return res
