"""The module's default service levels get their win-back action (their
records are not updated: noupdate data): A and D a call, B a gift of 300
points, C a satisfaction survey."""

from odoo.tools import SQL

ACTIONS = {
    "service_level_a": ("call", 0),
    "service_level_b": ("points", 300),
    "service_level_c": ("survey", 0),
    "service_level_d": ("call", 0),
}


def migrate(cr, version):
    for xmlid, (action, points) in ACTIONS.items():
        cr.execute(
            SQL(
                """
                UPDATE logistics_service_level level
                   SET winback_action = %(action)s, winback_points = %(points)s
                  FROM ir_model_data data
                 WHERE data.module = 'logistics_crm' AND data.name = %(xmlid)s
                   AND data.model = 'logistics.service.level' AND data.res_id = level.id
                """,
                action=action,
                points=points,
                xmlid=xmlid,
            )
        )
