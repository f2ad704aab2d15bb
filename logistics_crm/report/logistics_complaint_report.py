from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.selections import (
    COMPLAINT_CHANNEL_SELECTION,
    COMPLAINT_LIABLE_SELECTION,
    COMPLAINT_SEVERITY_SELECTION,
    COMPLAINT_STATE_SELECTION,
    GRADE_SELECTION,
    SLA_STATUS_SELECTION,
)

# Odoo's rating scale: 5 satisfied, 3 okay, 1 dissatisfied (0: not rated)
SATISFIED_RATING = 4


class LogisticsComplaintReport(models.Model):
    """Complaint analysis: one row per complaint (cancelled ones left out),
    with the customer's grade in the complaint's company when it was filed.
    The measures are averages that leave out the complaints they do not apply
    to (NULL in the view): the SLA compliance over the complaints whose SLA is
    settled (met or breached), the hours to the first response over the
    answered ones, to the resolution over the resolved ones (the time waiting
    for the customer left out, as on the complaint), and the customers'
    satisfaction over the rated ones."""

    _name = "logistics.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_received desc, id desc"
    # flushed before the view is read
    _depends = {
        "logistics.complaint": [
            "name",
            "company_id",
            "commercial_partner_id",
            "user_id",
            "category_id",
            "cause_id",
            "channel",
            "severity",
            "state",
            "sla_status",
            "liable_party",
            "is_repeat",
            "date_received",
            "first_response_date",
            "resolution_date",
            "first_response_hours",
            "resolution_hours",
            "compensation_amount",
            "compensation_state",
            "rating_last_value",
            "customer_grade",
        ],
    }

    name = fields.Char(string="Reference", readonly=True)
    complaint_id = fields.Many2one("logistics.complaint", string="Complaint", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    category_id = fields.Many2one("logistics.complaint.category", string="Category", readonly=True)
    cause_id = fields.Many2one("logistics.complaint.cause", string="Root Cause", readonly=True)
    grade = fields.Selection(GRADE_SELECTION, readonly=True, help="The customer's grade when the complaint was filed.")
    channel = fields.Selection(COMPLAINT_CHANNEL_SELECTION, readonly=True)
    severity = fields.Selection(COMPLAINT_SEVERITY_SELECTION, readonly=True)
    state = fields.Selection(COMPLAINT_STATE_SELECTION, readonly=True)
    sla_status = fields.Selection(SLA_STATUS_SELECTION, string="SLA Status", readonly=True)
    liable_party = fields.Selection(COMPLAINT_LIABLE_SELECTION, string="Liable Party", readonly=True)
    is_repeat = fields.Boolean(string="Repeat Complaint", readonly=True)
    date_received = fields.Datetime(string="Received", readonly=True)
    resolution_date = fields.Datetime(string="Resolved On", readonly=True)
    nbr = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    sla_met_percent = fields.Float(
        string="SLA Met (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the complaints whose SLA was met, among those met or breached.",
    )
    first_response_hours = fields.Float(string="Hours to First Response", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(
        string="Hours to Resolution",
        readonly=True,
        aggregator="avg",
        help="From receipt to resolution, the time waiting for the customer left out.",
    )
    rated_count = fields.Integer(string="# Rated", readonly=True, aggregator="sum")
    satisfaction_percent = fields.Float(
        string="Satisfaction (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers who rated the handling of their complaint satisfied, among those who rated it.",
    )
    rating_value = fields.Float(
        string="Average Rating", readonly=True, aggregator="avg", help="The customers' rating, from 1 to 5."
    )
    compensation_amount = fields.Monetary(
        string="Compensation",
        readonly=True,
        aggregator="sum",
        help="Compensation granted or approved (requests waiting for approval or refused left out).",
    )

    def _select(self):
        return SQL(
            """
            c.id AS id,
            c.id AS complaint_id,
            c.name AS name,
            c.company_id AS company_id,
            company.currency_id AS currency_id,
            c.commercial_partner_id AS partner_id,
            c.user_id AS user_id,
            c.category_id AS category_id,
            c.cause_id AS cause_id,
            c.customer_grade AS grade,
            c.channel AS channel,
            c.severity AS severity,
            c.state AS state,
            c.sla_status AS sla_status,
            c.liable_party AS liable_party,
            c.is_repeat AS is_repeat,
            c.date_received AS date_received,
            c.resolution_date AS resolution_date,
            1 AS nbr,
            CASE c.sla_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END AS sla_met_percent,
            CASE WHEN c.first_response_date IS NOT NULL THEN c.first_response_hours END AS first_response_hours,
            CASE WHEN c.resolution_date IS NOT NULL THEN c.resolution_hours END AS resolution_hours,
            CASE WHEN c.rating_last_value > 0 THEN 1 ELSE 0 END AS rated_count,
            CASE
                WHEN c.rating_last_value >= %(satisfied)s THEN 100.0
                WHEN c.rating_last_value > 0 THEN 0.0
            END AS satisfaction_percent,
            NULLIF(c.rating_last_value, 0) AS rating_value,
            CASE
                WHEN c.compensation_state IN ('granted', 'approved') THEN c.compensation_amount ELSE 0.0
            END AS compensation_amount
            """,
            satisfied=SATISFIED_RATING,
        )

    def _from(self):
        return SQL(
            """
            logistics_complaint c
            JOIN res_company company ON company.id = c.company_id
            """
        )

    def _where(self):
        return SQL("c.state != 'cancelled'")

    def _query(self):
        return SQL("SELECT %s FROM %s WHERE %s", self._select(), self._from(), self._where())

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
