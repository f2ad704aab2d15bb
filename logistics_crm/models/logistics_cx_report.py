"""The monthly customer-experience improvement report, per company.

One record per company and month (a rerun replaces its figures, lines and PDF,
never duplicates it), produced on the first of each month for the month
before, or for any month on demand. Its figures are read from the analyses
the module already has: the survey answers, the complaint analysis, the
delivery service analysis, the win-backs and the loyalty ledger.
"""

import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

MANAGER = "logistics_crm.group_logistics_crm_manager"
# the months of the trend, the reported one included
TREND_MONTHS = 6


class LogisticsCxReport(models.Model):
    _name = "logistics.cx.report"
    _description = "Customer Experience Report"
    _inherit = ["mail.thread"]
    _order = "month desc, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    month = fields.Date(required=True, readonly=True, help="The first day of the month reported.")
    generated_date = fields.Datetime(string="Generated On", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # satisfaction
    survey_answers = fields.Integer(string="Survey Answers", readonly=True)
    csat = fields.Float(string="CSAT (%)", digits=(16, 1), readonly=True)
    csat_target = fields.Float(string="CSAT Target (%)", digits=(16, 1), readonly=True)
    csat_previous = fields.Float(string="CSAT Previous Month (%)", digits=(16, 1), readonly=True)
    nps = fields.Float(string="NPS", digits=(16, 0), readonly=True)
    nps_previous = fields.Float(string="NPS Previous Month", digits=(16, 0), readonly=True)
    # complaints
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    repeat_count = fields.Integer(string="Repeat Complaints", readonly=True)
    unhappy_count = fields.Integer(string="Unhappy Customers", readonly=True)
    sla_met = fields.Float(string="SLA Met (%)", digits=(16, 1), readonly=True)
    first_response_hours = fields.Float(string="Mean Hours to First Response", digits=(16, 1), readonly=True)
    resolution_hours = fields.Float(string="Mean Hours to Resolution", digits=(16, 1), readonly=True)
    # deliveries
    delivery_count = fields.Integer(string="Deliveries", readonly=True)
    otif = fields.Float(string="OTIF (%)", digits=(16, 1), readonly=True)
    otif_previous = fields.Float(string="OTIF Previous Month (%)", digits=(16, 1), readonly=True)
    # churn and loyalty
    at_risk_count = fields.Integer(string="Customers Becoming at Risk", readonly=True)
    winback_done = fields.Integer(string="Win-back Actions Taken", readonly=True)
    reactivated_count = fields.Integer(string="Ordered Again within 90 Days", readonly=True)
    points_earned = fields.Integer(string="Points Earned", readonly=True)
    points_redeemed = fields.Integer(string="Points Redeemed", readonly=True)
    points_expired = fields.Integer(string="Points Expired", readonly=True)
    line_ids = fields.One2many("logistics.cx.report.line", "report_id", string="Lines", readonly=True)
    category_line_ids = fields.One2many(
        "logistics.cx.report.line", "report_id", domain=[("kind", "=", "category")], string="By Category"
    )
    cause_line_ids = fields.One2many(
        "logistics.cx.report.line", "report_id", domain=[("kind", "=", "cause")], string="By Root Cause"
    )
    trend_line_ids = fields.One2many(
        "logistics.cx.report.line", "report_id", domain=[("kind", "=", "trend")], string="Trend"
    )

    _sql_constraints = [
        ("company_month_unique", "UNIQUE(company_id, month)", "A company has one report per month."),
    ]

    @api.depends("month", "company_id")
    def _compute_name(self):
        for report in self:
            report.name = f"{report.month:%Y-%m} {report.company_id.name}" if report.month else False

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------

    @api.model
    def _logistics_month_figures(self, company, first, end):
        """{month: {figure: value}} of ``company`` for each month of [first,
        end) (the first days of months): one aggregate query, grouped by
        month, per analysis of the module (survey answers, complaints,
        deliveries, win-backs, loyalty ledger)."""
        for model in ("logistics.survey", "logistics.complaint", "stock.picking", "logistics.winback"):
            self.env[model].flush_model()
        self.env["loyalty.history"].flush_model()
        months = {}
        month = first
        while month < end:
            months[month] = {}
            month += relativedelta(months=1)
        queries = {
            ("survey_answers", "csat", "nps"): """
                SELECT date_trunc('month', answered_date)::date, COUNT(*),
                       AVG(csat_percent) FILTER (WHERE csat_score > 0),
                       AVG(nps_value) FILTER (WHERE nps_category IS NOT NULL)
                  FROM logistics_survey
                 WHERE company_id = %(company)s AND state = 'answered'
                   AND answered_date >= %(start)s AND answered_date < %(end)s
              GROUP BY 1
            """,
            (
                "complaint_count",
                "repeat_count",
                "unhappy_count",
                "sla_met",
                "first_response_hours",
                "resolution_hours",
            ): """
                SELECT date_trunc('month', report.date_received)::date, COUNT(*),
                       COUNT(*) FILTER (WHERE report.is_repeat),
                       COUNT(*) FILTER (WHERE complaint.sentiment_alert OR complaint.sentiment_alert_cleared),
                       AVG(report.sla_met_percent), AVG(report.first_response_hours), AVG(report.resolution_hours)
                  FROM logistics_complaint_report report
                  JOIN logistics_complaint complaint ON complaint.id = report.complaint_id
                 WHERE report.company_id = %(company)s
                   AND report.date_received >= %(start)s AND report.date_received < %(end)s
              GROUP BY 1
            """,
            ("delivery_count", "otif"): """
                SELECT date_trunc('month', date_done)::date, COUNT(*), AVG(otif_rate)
                  FROM logistics_delivery_report
                 WHERE company_id = %(company)s AND date_done >= %(start)s AND date_done < %(end)s
              GROUP BY 1
            """,
            ("at_risk_count", "winback_done", "reactivated_count"): """
                SELECT date_trunc('month', date)::date, COUNT(*), COUNT(*) FILTER (WHERE done),
                       COUNT(*) FILTER (WHERE reactivated_date IS NOT NULL)
                  FROM logistics_winback
                 WHERE company_id = %(company)s AND date >= %(start)s AND date < %(end)s
              GROUP BY 1
            """,
            ("points_earned", "points_redeemed", "points_expired"): """
                SELECT date_trunc('month', logistics_date)::date,
                       SUM(issued) FILTER (WHERE logistics_kind = 'earn'),
                       SUM(used) FILTER (WHERE logistics_kind = 'redeem'),
                       SUM(used) FILTER (WHERE logistics_kind = 'expire')
                  FROM loyalty_history
                 WHERE company_id = %(company)s AND logistics_kind IS NOT NULL
                   AND logistics_date >= %(start)s AND logistics_date < %(end)s
              GROUP BY 1
            """,
        }
        for names, query in queries.items():
            self.env.cr.execute(SQL(query, company=company.id, start=first, end=end))
            for month, *values in self.env.cr.fetchall():
                months[month].update(zip(names, values, strict=True))
        # rounded as shown; a month without figures shows zeros
        digits = {"csat": 1, "sla_met": 1, "first_response_hours": 1, "resolution_hours": 1, "otif": 1, "nps": 0}
        for figures in months.values():
            for names in queries:
                for name in names:
                    value = figures.get(name) or 0
                    figures[name] = round(value, digits[name]) if name in digits else int(value)
        return months

    @api.model
    def _logistics_complaint_lines(self, company, start, end):
        """Line values of the month's complaints by category and by root
        cause, with their repeat complaints (one query each)."""
        lines = []
        for kind, column, table in (
            ("category", "category_id", "logistics_complaint_category"),
            ("cause", "cause_id", "logistics_complaint_cause"),
        ):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT report.%(column)s, COUNT(*), COUNT(*) FILTER (WHERE report.is_repeat)
                      FROM logistics_complaint_report report
                     WHERE report.company_id = %(company)s
                       AND report.date_received >= %(start)s AND report.date_received < %(end)s
                  GROUP BY report.%(column)s
                  ORDER BY COUNT(*) DESC
                    """,
                    column=SQL.identifier(column),
                    company=company.id,
                    start=start,
                    end=end,
                )
            )
            rows = self.env.cr.fetchall()
            records = self.env[table.replace("_", ".")].browse([row[0] for row in rows if row[0]])
            names = {record.id: record.display_name for record in records}
            for sequence, (record_id, count, repeats) in enumerate(rows):
                lines.append(
                    {
                        "kind": kind,
                        "sequence": sequence,
                        "name": names.get(record_id) or self.env._("Not set"),
                        "count": count,
                        "repeat_count": repeats,
                    }
                )
        return lines

    # ------------------------------------------------------------------
    # generation
    # ------------------------------------------------------------------

    @api.model
    def _logistics_generate(self, company, month):
        """The report of ``company`` for the month of ``month``: created, or
        its figures, lines and PDF replaced when it exists; then mailed to
        the company's Logistics CRM managers. Return the report."""
        start = fields.Date.to_date(month).replace(day=1)
        end = start + relativedelta(months=1)
        # sudo: the report gathers the figures of the whole company
        Report = self.sudo().with_company(company)
        by_month = Report._logistics_month_figures(company, start - relativedelta(months=TREND_MONTHS - 1), end)
        figures = by_month[start]
        previous = by_month[start - relativedelta(months=1)]
        trend = [
            {
                "kind": "trend",
                "sequence": sequence,
                "name": f"{month_start:%Y-%m}",
                "csat": month_figures["csat"],
                "nps": month_figures["nps"],
                "otif": month_figures["otif"],
                "count": month_figures["complaint_count"],
            }
            for sequence, (month_start, month_figures) in enumerate(sorted(by_month.items()), start=1)
        ]
        values = {
            **figures,
            "csat_previous": previous["csat"],
            "nps_previous": previous["nps"],
            "otif_previous": previous["otif"],
            "csat_target": company.logistics_csat_target,
            "generated_date": fields.Datetime.now(),
            "line_ids": [
                fields.Command.clear(),
                *(
                    fields.Command.create(line)
                    for line in (*Report._logistics_complaint_lines(company, start, end), *trend)
                ),
            ],
        }
        report = Report.search([("company_id", "=", company.id), ("month", "=", start)])
        if report:
            report.write(values)
        else:
            report = Report.create({**values, "company_id": company.id, "month": start})
        report._logistics_send_digest(report._logistics_attach_pdf())
        return report

    def _logistics_attach_pdf(self):
        """The report's PDF, attached to it in place of the previous one."""
        self.ensure_one()
        pdf, __ = self.env["ir.actions.report"]._render_qweb_pdf(
            "logistics_crm.logistics_cx_report_pdf_action", self.ids
        )
        name = self.env._("Customer Experience %(month)s.pdf", month=f"{self.month:%Y-%m}")
        Attachment = self.env["ir.attachment"].sudo()
        Attachment.search([("res_model", "=", self._name), ("res_id", "=", self.id)]).unlink()
        return Attachment.create(
            {
                "name": name,
                "res_model": self._name,
                "res_id": self.id,
                "type": "binary",
                "datas": base64.b64encode(pdf),
                "mimetype": "application/pdf",
            }
        )

    def _logistics_send_digest(self, attachment):
        """The digest, with the PDF ``attachment``, to the company's Logistics
        CRM managers."""
        self.ensure_one()
        managers = (
            self.env.ref(MANAGER)
            .sudo()
            .users.filtered(lambda user: self.company_id in user.company_ids and user.active and user.email)
        )
        if not managers:
            return self.env["mail.message"]
        body = self.env["ir.qweb"]._render(
            "logistics_crm.logistics_cx_report_digest", {"report": self, "format_amount": self._logistics_delta}
        )
        return self.message_post(
            body=body,
            subject=self.env._("Customer experience report %(month)s", month=f"{self.month:%Y-%m}"),
            partner_ids=managers.partner_id.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _logistics_delta(self, value, previous):
        """``value`` against ``previous``, signed, for the digest."""
        delta = (value or 0.0) - (previous or 0.0)
        return f"{delta:+.1f}"

    def _logistics_bar_width(self, value, lines, field="count"):
        """The width in percent of a bar of ``value`` among ``lines``."""
        top = max([line[field] for line in lines] or [0]) or 1
        return max(2, round(100.0 * (value or 0) / top))

    def action_regenerate(self):
        """Produce the report of this month again (managers)."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only Logistics CRM managers produce customer experience reports."))
        for report in self:
            report._logistics_generate(report.company_id, report.month)
        return True

    @api.model
    def _cron_monthly(self):
        """On the first of the month: every company's report of the month before."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        # sudo: every company's report
        for company in self.env["res.company"].sudo().search([]):
            self._logistics_generate(company, month)
        return True


class LogisticsCxReportLine(models.Model):
    _name = "logistics.cx.report.line"
    _description = "Customer Experience Report Line"
    _order = "report_id, kind, sequence, id"

    report_id = fields.Many2one("logistics.cx.report", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    kind = fields.Selection(
        [("category", "Category"), ("cause", "Root Cause"), ("trend", "Month")], required=True, readonly=True
    )
    sequence = fields.Integer(readonly=True)
    name = fields.Char(readonly=True)
    count = fields.Integer(string="Complaints", readonly=True)
    repeat_count = fields.Integer(string="Repeats", readonly=True)
    csat = fields.Float(string="CSAT (%)", digits=(16, 1), readonly=True)
    nps = fields.Float(string="NPS", digits=(16, 0), readonly=True)
    otif = fields.Float(string="OTIF (%)", digits=(16, 1), readonly=True)
