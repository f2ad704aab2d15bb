import itertools
import logging
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


# an extension of base's Contacts > Merge wizard (no new wizard): placed with
# the models, as Odoo core places its own (account, website)
class BasePartnerMergeAutomaticWizard(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _logistics_merge_kept_fields(self):
        """Fields of res.partner the merge never copies from the merged
        contacts: the destination keeps its own logistics classification,
        figures and grades (the figures and grades are recomputed from the
        merged sales right after). Every ``logistics_*`` field, so that the
        fields added later are covered."""
        return {fname for fname in self.env["res.partner"]._fields if fname.startswith("logistics_")}

    @api.model
    def _update_values(self, src_partners, dst_partner):
        """Copy the values of the merged contacts onto the destination as the
        wizard does, except the logistics fields, then regrade the destination
        from its merged sales (the sale orders and grade history of the
        merged contacts already point to it: ``_update_foreign_keys`` runs
        first).

        Not a call to ``super()``: the wizard's version gathers every stored
        field, the destination's own logistics values included, into one
        ``write()`` that offers no hook to leave fields out, and the
        logistics write check refuses such a write to every user (system
        figures for all, credit status for non-supervisors, classification
        for users without a role). This is the wizard's own rule (18.0):
        each stored field not computed nor x2many takes the value of the
        destination if set, else of the last merged contact that has one;
        the fields of ``_get_summable_fields()`` are summed.
        """
        kept_fields = self._logistics_merge_kept_fields()
        summable_fields = self._get_summable_fields()
        values = {}
        values_by_company = defaultdict(dict)
        # fields_get(): only the fields the user may access, as the wizard does
        for fname in dst_partner.fields_get(attributes=["type"]):
            if fname in kept_fields:
                continue
            field = dst_partner._fields[fname]
            if field.type not in ("many2many", "one2many") and field.compute is None:
                for partner in itertools.chain(src_partners, dst_partner):
                    value = partner[fname]
                    if not value:
                        continue
                    if isinstance(value, models.BaseModel) and field.type != "reference":
                        value = value.id
                    if fname in summable_fields and values.get(fname):
                        values[fname] += value
                    else:
                        values[fname] = value
            elif field.company_dependent and fname in summable_fields:
                # sudo: the sum covers every company, the user's or not, as
                # in the wizard; the fields are summable counters (ranks)
                partners = (src_partners | dst_partner).sudo()
                for company in self.env["res.company"].sudo().search([]):
                    values_by_company[company][fname] = sum(partners.with_company(company).mapped(fname))
        values.pop("id", None)
        parent_id = values.pop("parent_id", None)
        dst_partner.write(values)
        for company, company_values in values_by_company.items():
            # sudo: see above, the wizard writes the per-company sums likewise
            dst_partner.with_company(company).sudo().write(company_values)
        if parent_id and parent_id != dst_partner.id:
            try:
                dst_partner.write({"parent_id": parent_id})
            except ValidationError:
                _logger.info(
                    "Skip recursive partner hierarchies for parent_id %s of partner: %s", parent_id, dst_partner.id
                )
        dst_partner.commercial_partner_id._logistics_recompute_grades()
