"""Who exported, read in bulk or changed the classification of customers.

Entries are written by the system only (one INSERT per request, not through
the ORM's create: logging must cost a request at most one query) and read by
managers; nobody edits them, and the nightly action deletes those older than
the retention (a system-wide setting, like the bulk read threshold).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# the settings (system parameters, cached: reading them costs no query)
BULK_THRESHOLD_PARAM = "logistics_crm.access_log_bulk_threshold"
RETENTION_PARAM = "logistics_crm.access_log_retention_days"
DEFAULT_BULK_THRESHOLD = 200
DEFAULT_RETENTION_DAYS = 365

ACCESS_OPERATION_SELECTION = [
    ("export", "Export"),
    ("bulk_read", "Bulk Read"),
    ("credit_change", "Credit Status Change"),
    ("override_change", "Grade Override Change"),
]


class LogisticsAccessLog(models.Model):
    _name = "logistics.access.log"
    _description = "Customer Data Access Log"
    _order = "create_date desc, id desc"
    _rec_name = "operation"

    user_id = fields.Many2one("res.users", string="User", readonly=True, index=True, ondelete="set null")
    operation = fields.Selection(ACCESS_OPERATION_SELECTION, readonly=True, required=True, index=True)
    model = fields.Char(readonly=True, required=True)
    record_count = fields.Integer(string="Records", readonly=True, aggregator="sum")
    field_names = fields.Char(string="Fields", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True, index=True)

    @api.model
    def _logistics_setting(self, param, default):
        """A positive whole number of the settings, ``default`` if unset or invalid."""
        # sudo: the system parameters are read by the system for every user
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            number = int(value)
        except (TypeError, ValueError):
            return default
        return number if number > 0 else default

    @api.model
    def _logistics_bulk_threshold(self):
        """Reads of more customers than this in one call are logged."""
        return self._logistics_setting(BULK_THRESHOLD_PARAM, DEFAULT_BULK_THRESHOLD)

    @api.model
    def _logistics_log(self, operation, model, record_count, field_names):
        """Record that the current user did ``operation`` on ``record_count``
        records of ``model``, with the fields ``field_names``: one INSERT."""
        self._logistics_log_entries([(operation, model, record_count, field_names)])

    @api.model
    def _logistics_log_entries(self, entries):
        """Record the ``(operation, model, record_count, field_names)`` of
        ``entries``, done by the current user: one INSERT for them all."""
        uid, company, now = self.env.uid, self.env.company.id, self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_access_log
                       (user_id, operation, model, record_count, field_names, company_id,
                        create_uid, create_date, write_uid, write_date)
                VALUES %s
                """,
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        uid,
                        operation,
                        model,
                        record_count,
                        ", ".join(sorted(field_names))[:1000],
                        company,
                        uid,
                        now,
                        uid,
                        now,
                    )
                    for operation, model, record_count, field_names in entries
                ),
            )
        )

    @api.model
    def _cron_purge(self):
        """Delete the entries older than the retention."""
        days = self._logistics_setting(RETENTION_PARAM, DEFAULT_RETENTION_DAYS)
        self.env.cr.execute(
            SQL(
                "DELETE FROM logistics_access_log WHERE create_date < %s",
                fields.Datetime.now() - timedelta(days=days),
            )
        )
        return True
