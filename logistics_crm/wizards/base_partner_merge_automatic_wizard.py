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
    def _update_foreign_keys(self, src_partners, dst_partner):
        # Odoo moves each table's rows to the destination in one UPDATE and,
        # when a unique index refuses it, DELETEs the merged contacts' rows:
        # two loyalty cards of one company would lose a card and, by
        # cascade, its ledger. The cards of each company are folded into one
        # first (the destination's when it has one): the ledger entries move,
        # the points add up, the emptied cards go.
        self._logistics_fold_loyalty_cards(src_partners | dst_partner, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)

    @api.model
    def _logistics_fold_loyalty_cards(self, partners, dst_partner):
        # sudo: the system keeps the cards of its programmes whoever merges
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(active_test=False)
            .search([("logistics_company_id", "!=", False), ("partner_id", "in", partners.ids)])
        )
        for company_cards in cards.grouped("logistics_company_id").values():
            if len(company_cards) < 2:
                continue
            keep = (
                company_cards.filtered(lambda card: card.partner_id == dst_partner)[:1]
                or company_cards.sorted("id")[:1]
            )
            folded = company_cards - keep
            (keep | folded)._logistics_lock()
            self.env.flush_all()
            self.env.cr.execute(
                SQL("UPDATE loyalty_history SET card_id = %s WHERE card_id IN %s", keep.id, tuple(folded.ids))
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE loyalty_card SET points = points + (SELECT SUM(points) FROM loyalty_card WHERE id IN %s) "
                    "WHERE id = %s",
                    tuple(folded.ids),
                    keep.id,
                )
            )
            self.env.cr.execute(SQL("DELETE FROM loyalty_card WHERE id IN %s", tuple(folded.ids)))
            self.env.invalidate_all()
            keep._logistics_recompute_tiers()

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
