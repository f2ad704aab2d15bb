from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_company import THRESHOLD_MAXIMA


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_large_spend = fields.Monetary(
        related="company_id.logistics_large_spend",
        readonly=False,
        currency_field="logistics_currency_id",
    )
    logistics_medium_spend = fields.Monetary(
        related="company_id.logistics_medium_spend",
        readonly=False,
        currency_field="logistics_currency_id",
    )
    logistics_frequent_orders = fields.Float(
        related="company_id.logistics_frequent_orders",
        readonly=False,
    )
    logistics_compensation_rate = fields.Float(
        related="company_id.logistics_compensation_rate",
        readonly=False,
    )
    logistics_compensation_fixed_limit = fields.Monetary(
        related="company_id.logistics_compensation_fixed_limit",
        readonly=False,
        currency_field="logistics_currency_id",
    )
    logistics_complaint_default_user_id = fields.Many2one(
        related="company_id.logistics_complaint_default_user_id",
        readonly=False,
    )
    logistics_complaint_escalation_user_id = fields.Many2one(
        related="company_id.logistics_complaint_escalation_user_id",
        readonly=False,
    )
    logistics_complaint_calendar_id = fields.Many2one(
        related="company_id.logistics_complaint_calendar_id",
        readonly=False,
    )
    logistics_survey_enabled = fields.Boolean(related="company_id.logistics_survey_enabled", readonly=False)
    logistics_survey_id = fields.Many2one(related="company_id.logistics_survey_id", readonly=False)
    logistics_survey_sample_rate = fields.Float(related="company_id.logistics_survey_sample_rate", readonly=False)
    logistics_survey_throttle_days = fields.Integer(related="company_id.logistics_survey_throttle_days", readonly=False)
    logistics_survey_delay_hours = fields.Float(related="company_id.logistics_survey_delay_hours", readonly=False)
    logistics_survey_expiry_days = fields.Integer(related="company_id.logistics_survey_expiry_days", readonly=False)
    logistics_survey_grade_a = fields.Boolean(related="company_id.logistics_survey_grade_a", readonly=False)
    logistics_survey_grade_b = fields.Boolean(related="company_id.logistics_survey_grade_b", readonly=False)
    logistics_survey_grade_c = fields.Boolean(related="company_id.logistics_survey_grade_c", readonly=False)
    logistics_survey_grade_d = fields.Boolean(related="company_id.logistics_survey_grade_d", readonly=False)
    logistics_survey_grade_none = fields.Boolean(related="company_id.logistics_survey_grade_none", readonly=False)
    logistics_csat_target = fields.Float(related="company_id.logistics_csat_target", readonly=False)
    logistics_loyalty_earn_amount = fields.Float(related="company_id.logistics_loyalty_earn_amount", readonly=False)
    logistics_loyalty_redeem_share = fields.Float(related="company_id.logistics_loyalty_redeem_share", readonly=False)
    logistics_loyalty_expiry_months = fields.Integer(
        related="company_id.logistics_loyalty_expiry_months", readonly=False
    )
    logistics_loyalty_expiring_days = fields.Integer(
        related="company_id.logistics_loyalty_expiring_days", readonly=False
    )
    logistics_loyalty_tier_mail = fields.Boolean(related="company_id.logistics_loyalty_tier_mail", readonly=False)
    logistics_health_weight_grade = fields.Float(related="company_id.logistics_health_weight_grade", readonly=False)
    logistics_health_weight_otif = fields.Float(related="company_id.logistics_health_weight_otif", readonly=False)
    logistics_health_weight_satisfaction = fields.Float(
        related="company_id.logistics_health_weight_satisfaction", readonly=False
    )
    logistics_health_weight_complaints = fields.Float(
        related="company_id.logistics_health_weight_complaints", readonly=False
    )
    logistics_health_weight_trend = fields.Float(related="company_id.logistics_health_weight_trend", readonly=False)
    logistics_care_reminder_days = fields.Integer(related="company_id.logistics_care_reminder_days", readonly=False)
    logistics_access_log_bulk_threshold = fields.Integer(
        string="Bulk Read Threshold",
        config_parameter="logistics_crm.access_log_bulk_threshold",
        default=200,
        help="A user reading the logistics fields of more customers than this in one request is logged.",
    )
    logistics_access_log_retention_days = fields.Integer(
        string="Access Log Retention (days)",
        config_parameter="logistics_crm.access_log_retention_days",
        default=365,
        help="Entries of the customer data access log older than this are deleted every night.",
    )
    logistics_loyalty_program_id = fields.Many2one(related="company_id.logistics_loyalty_program_id")
    logistics_currency_id = fields.Many2one(
        "res.currency",
        related="company_id.currency_id",
        string="Logistics Currency",
    )

    # the thresholds are checked before the ORM rounds them (a raw error on
    # NaN and the infinities), as the company does (logistics.number.mixin)
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        thresholds = []
        for vals in vals_list:
            self.env["res.company"]._logistics_check_numbers(vals)
            # written on the company together, below: one regrade of its
            # customers (see res.company's write), and no check of the large
            # against the medium spend between two of them
            thresholds.append({fname: vals.pop(fname) for fname in THRESHOLD_MAXIMA if fname in vals})
        settings = super().create(vals_list)
        for record, values in zip(settings, thresholds, strict=True):
            if values:
                record.company_id.write(values)
        return settings

    def write(self, vals):
        self.env["res.company"]._logistics_check_numbers(vals)
        return super().write(vals)

    @api.constrains("logistics_access_log_bulk_threshold", "logistics_access_log_retention_days")
    def _check_logistics_access_log_settings(self):
        for settings in self:
            if settings.logistics_access_log_bulk_threshold < 1 or settings.logistics_access_log_retention_days < 1:
                raise ValidationError(self.env._("The bulk read threshold and the access log retention are 1 or more."))
