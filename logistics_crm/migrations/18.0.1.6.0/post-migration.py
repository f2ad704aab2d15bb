"""Damage and Loss, the module's complaint categories of cargo incidents, are
flagged as such (their records are not updated: noupdate data)."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            UPDATE logistics_complaint_category category
               SET cargo_incident = TRUE
              FROM ir_model_data data
             WHERE data.model = 'logistics.complaint.category'
               AND data.module = 'logistics_crm'
               AND data.name IN ('complaint_category_damage', 'complaint_category_loss')
               AND data.res_id = category.id
            """
        )
    )
