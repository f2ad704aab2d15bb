"""Value, churn and health of customers, per company, recomputed nightly.

RFM scores are quintiles over the company's customers (every customer with a
confirmed order there), so they are computed for the whole company at once:
one aggregate query, then the changed values written in batches.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from ..tools import customer_value
from ..tools.grading import WINDOW_DAYS

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"

# {field: SQL type} of what the value computation writes
VALUE_COLUMNS = {
    "logistics_last_order_date": "date",
    "logistics_rfm_recency": "int4",
    "logistics_rfm_frequency": "int4",
    "logistics_rfm_monetary": "int4",
    "logistics_rfm_segment": "varchar",
    "logistics_churn_risk": "bool",
    "logistics_churn_reason": "varchar",
    "logistics_health_score": "float8",
}
VALUE_FIELDS = frozenset(VALUE_COLUMNS)
# the company settings weighing each part of the health score
HEALTH_WEIGHT_FIELDS = {
    "grade": "logistics_health_weight_grade",
    "otif": "logistics_health_weight_otif",
    "satisfaction": "logistics_health_weight_satisfaction",
    "complaints": "logistics_health_weight_complaints",
    "trend": "logistics_health_weight_trend",
}
WRITE_BATCH = 1000


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_last_order_date = fields.Date(
        string="Last Order",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
        help="Date of the customer's last confirmed order in this company.",
    )
    logistics_rfm_recency = fields.Integer(
        string="Recency Score",
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="1 to 5: the quintile of the customer among the company's customers by days since its last order "
        "(5: the most recent).",
    )
    logistics_rfm_frequency = fields.Integer(
        string="Frequency Score",
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="1 to 5: the quintile of the customer by its number of orders over the last 365 days.",
    )
    logistics_rfm_monetary = fields.Integer(
        string="Monetary Score",
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="1 to 5: the quintile of the customer by its spend over the last 365 days.",
    )
    logistics_rfm_segment = fields.Selection(
        [(key, label) for key, label in customer_value.SEGMENTS],
        string="RFM Segment",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
        help="New: first order within 90 days; Champions: recent, frequent and big spenders; Loyal: recent "
        "and regular; Promising: recent, small; At Risk: good customers who no longer order; Hibernating and "
        "Lost: small customers who no longer order.",
    )
    logistics_churn_risk = fields.Boolean(
        string="At Risk of Churning",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
        help="The days since the last order exceed twice the customer's median interval between orders "
        "(3 orders at least), or its spend of the last 90 days fell below half of the same period a year earlier.",
    )
    logistics_churn_reason = fields.Selection(
        [("interval", "Overdue Order"), ("spend", "Falling Spend")],
        string="Churn Warning",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
    )
    logistics_health_score = fields.Float(
        string="Health Score",
        digits=(16, 0),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="0 to 100: grade, OTIF, satisfaction (CSAT and NPS), complaint rate and spend trend, "
        "weighted as the company settings say.",
    )

    @api.model
    def _logistics_value_sql(self, company, now):
        """The query of the order history of the company's customers, with
        their stored figures: one row per commercial customer with a
        confirmed order in ``company`` or with stored value figures there."""
        Partner = self.with_company(company)
        stored = SQL(", ").join(
            SQL("%s AS %s", Partner._field_to_sql("partner", fname), SQL.identifier(fname))
            for fname in (
                *VALUE_COLUMNS,
                "logistics_grade",
                "logistics_otif_rate",
                "logistics_csat",
                "logistics_nps",
                "logistics_complaint_rate",
                "logistics_delivery_count",
            )
        )
        return SQL(
            """
            WITH orders AS (
                SELECT contact.commercial_partner_id AS partner_id,
                       so.date_order,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
                  FROM sale_order so
                  JOIN res_partner contact ON contact.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s AND so.date_order <= %(now)s
            ),
            per_partner AS (
                SELECT partner_id,
                       MIN(date_order) AS first_order,
                       MAX(date_order) AS last_order,
                       COUNT(*) FILTER (WHERE date_order >= %(year)s) AS frequency,
                       COALESCE(SUM(amount) FILTER (WHERE date_order >= %(year)s), 0) AS monetary,
                       COALESCE(SUM(amount) FILTER (WHERE date_order >= %(recent)s), 0) AS recent_spend,
                       COALESCE(SUM(amount) FILTER (WHERE date_order >= %(year_ago)s AND date_order < %(year_ago_end)s),
                                0) AS year_ago_spend,
                       ARRAY_AGG(date_order::date ORDER BY date_order) AS dates
                  FROM orders
              GROUP BY partner_id
            )
            SELECT partner.id, partner.user_id, per_partner.first_order, per_partner.last_order,
                   per_partner.frequency, per_partner.monetary, per_partner.recent_spend,
                   per_partner.year_ago_spend, per_partner.dates, %(stored)s
              FROM res_partner partner
         LEFT JOIN per_partner ON per_partner.partner_id = partner.id
             WHERE partner.id IN (SELECT partner_id FROM per_partner)
                OR partner.logistics_rfm_segment ? %(key)s
          ORDER BY partner.id
            """,
            company=company.id,
            now=now,
            year=now - timedelta(days=WINDOW_DAYS),
            recent=now - timedelta(days=customer_value.CHURN_SPEND_DAYS),
            year_ago=now - timedelta(days=WINDOW_DAYS + customer_value.CHURN_SPEND_DAYS),
            year_ago_end=now - timedelta(days=WINDOW_DAYS),
            stored=stored,
            key=str(company.id),
        )

    @api.model
    def _logistics_compute_customer_value(self, company, now=None):
        """Recompute, in ``company``, the RFM scores and segment, the churn
        warning and the health score of every customer: one aggregate query,
        the changed values written in batches of one statement, and one call
        activity for the salesperson of each customer that has just become at
        risk. Return the ids of the customers whose values changed."""
        now = now or fields.Datetime.now()
        today = now.date()
        self.env["sale.order"].flush_model(["state", "company_id", "date_order", "amount_untaxed", "partner_id"])
        self.flush_model(["commercial_partner_id", "user_id", *VALUE_COLUMNS])
        self.env.cr.execute(self._logistics_value_sql(company, now))
        rows = self.env.cr.dictfetchall()
        ordering = [row for row in rows if row["last_order"]]
        recency = customer_value.quintile_scores([now - row["last_order"] for row in ordering], higher_is_better=False)
        frequency = customer_value.quintile_scores([row["frequency"] for row in ordering])
        monetary = customer_value.quintile_scores([float(row["monetary"]) for row in ordering])
        scores = {row["id"]: (r, f, m) for row, r, f, m in zip(ordering, recency, frequency, monetary, strict=True)}
        weights = {part: company[fname] for part, fname in HEALTH_WEIGHT_FIELDS.items()}
        changed = {}
        new_risks = []
        for row in rows:
            new = self._logistics_value_row(row, scores.get(row["id"]), weights, today)
            # an empty company value reads as NULL, or as False for a boolean
            old = tuple(None if row[fname] is False else row[fname] for fname in VALUE_COLUMNS)
            if new != old:
                changed[row["id"]] = new
                if new[5] and not old[5]:
                    new_risks.append((row, new[6]))
        for batch in split_every(WRITE_BATCH, list(changed)):
            self._logistics_write_company_figures(company, VALUE_COLUMNS, {pid: changed[pid] for pid in batch})
        self.env["logistics.winback"]._logistics_start(new_risks, company, now)
        return list(changed)

    @api.model
    def _logistics_value_row(self, row, scores, weights, today):
        """The values of VALUE_COLUMNS of one row of the value query (None
        where there is nothing to store)."""
        if not row["last_order"]:
            return (None,) * len(VALUE_COLUMNS)
        recency, frequency, monetary = scores
        segment = customer_value.rfm_segment(recency, frequency, monetary, (today - row["first_order"].date()).days)
        at_risk, reason = customer_value.churn_risk(
            row["dates"], today, float(row["recent_spend"]), float(row["year_ago_spend"])
        )
        components = {
            "grade": customer_value.grade_component(row["logistics_grade"]),
            "otif": row["logistics_otif_rate"] if row["logistics_delivery_count"] else None,
            "satisfaction": customer_value.satisfaction_component(row["logistics_csat"], row["logistics_nps"]),
            "complaints": customer_value.complaint_component(row["logistics_complaint_rate"])
            if row["logistics_delivery_count"]
            else None,
            "trend": customer_value.trend_component(float(row["recent_spend"]), float(row["year_ago_spend"])),
        }
        health = customer_value.health_score(components, weights)
        return (
            row["last_order"].date(),
            recency,
            frequency,
            monetary,
            segment,
            at_risk or None,
            reason,
            None if health is None else float(health),
        )

    @api.model
    def _logistics_warn_churn(self, rows, company):
        """A call activity for the salesperson of each customer of ``rows``
        (rows of the value query) that has just become at risk, created in one
        batch. Customers without a salesperson are on the At-Risk list only.
        Return the ids of the customers called."""
        rows = [row for row in rows if row["user_id"]]
        values = {
            "summary": self.env._("At risk of churning: call the customer"),
            "date_deadline": fields.Date.context_today(self),
            "note": self.env._("%(company)s: no order for longer than usual, or falling spend.", company=company.name),
        }
        self.env["mail.activity"]._logistics_schedule(
            self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False),
            [(self.browse(row["id"]), dict(values, user_id=row["user_id"])) for row in rows],
        )
        return {row["id"] for row in rows}

    @api.model
    def _cron_logistics_customer_value(self, batch_size=1000):
        """Nightly: service KPIs, then value, churn and health of the
        customers of every company."""
        now = fields.Datetime.now()
        self._cron_logistics_kpis(batch_size=batch_size, now=now)
        # sudo: the nightly figures cover every customer of every company
        for company in self.env["res.company"].sudo().search([], order="id"):
            self.sudo().with_company(company)._logistics_compute_customer_value(company, now=now)
        self.env["logistics.winback"].sudo()._cron_reactivation(now=now)
