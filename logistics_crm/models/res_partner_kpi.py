"""Service KPIs of a customer over the trailing 365 days, per company.

On time, in full and OTIF rates of its done outgoing deliveries, the lead time
from order confirmation to delivery, and complaints (all, and damage or loss)
per 100 deliveries. Stored per company (company-dependent), computed for a
batch of customers in one aggregate query and written in one statement.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from ..tools.grading import WINDOW_DAYS

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"

# {field: SQL type} of the service KPIs, in the order of the aggregate's columns
KPI_COLUMNS = {
    "logistics_delivery_count": "int4",
    "logistics_on_time_rate": "float8",
    "logistics_in_full_rate": "float8",
    "logistics_otif_rate": "float8",
    "logistics_lead_time_days": "float8",
    "logistics_complaint_rate": "float8",
    "logistics_damage_loss_rate": "float8",
}
KPI_FIELDS = frozenset(KPI_COLUMNS)


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_delivery_count = fields.Integer(
        string="Deliveries (365 days)",
        company_dependent=True,
        readonly=True,
        groups=SPECIALIST,
        help="Done outgoing deliveries of the customer in this company over the last 365 days.",
    )
    logistics_on_time_rate = fields.Float(
        string="On Time (%)",
        digits=(16, 1),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Share of the done outgoing deliveries of the last 365 days completed no later than their "
        "deadline (else their scheduled date). Empty without deliveries.",
    )
    logistics_in_full_rate = fields.Float(
        string="In Full (%)",
        digits=(16, 1),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Share of the done outgoing deliveries of the last 365 days that delivered all that their "
        "moves demanded: no backorder, no short or cancelled quantity.",
    )
    logistics_otif_rate = fields.Float(
        string="OTIF (%)",
        digits=(16, 1),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Share of the done outgoing deliveries of the last 365 days both on time and in full.",
    )
    logistics_lead_time_days = fields.Float(
        string="Lead Time (days)",
        digits=(16, 1),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Average days from the confirmation of the order to the delivery done, over the deliveries "
        "of the last 365 days.",
    )
    logistics_complaint_rate = fields.Float(
        string="Complaints per 100 Deliveries",
        digits=(16, 1),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Complaints received from the customer in the last 365 days per 100 deliveries of the period.",
    )
    logistics_damage_loss_rate = fields.Float(
        string="Damage and Loss per 100 Deliveries",
        digits=(16, 1),
        company_dependent=True,
        readonly=True,
        aggregator="avg",
        groups=SPECIALIST,
        help="Complaints of a cargo incident category (damage, loss) of the last 365 days per 100 deliveries.",
    )

    # ------------------------------------------------------------------
    # one writer for the figures computed in batch
    # ------------------------------------------------------------------

    @api.model
    def _logistics_write_company_figures(self, company, columns, rows):
        """Store ``rows`` ({partner id: tuple of values in the order of
        ``columns``}) as the values in ``company`` of the company-dependent
        fields ``columns`` ({field name: SQL type}), in one UPDATE. A value
        None removes the company's value (the field reads empty).

        Not through ``write()``, which writes company-dependent values one
        record at a time: these figures are computed by the system, concern
        neither tracking nor any stored field computed from them."""
        if not rows:
            return
        values = SQL(", ").join(
            SQL(
                "(%s, %s)",
                partner_id,
                SQL(", ").join(
                    SQL("%s::%s", value, SQL(ctype)) for value, ctype in zip(row, columns.values(), strict=True)
                ),
            )
            for partner_id, row in rows.items()
        )
        assignments = SQL(", ").join(
            SQL(
                "%(column)s = CASE WHEN figures.%(column)s IS NULL"
                " THEN COALESCE(partner.%(column)s, '{}'::jsonb) - %(company)s"
                " ELSE COALESCE(partner.%(column)s, '{}'::jsonb)"
                " || jsonb_build_object(%(company)s, figures.%(column)s) END",
                column=SQL.identifier(fname),
                company=str(company.id),
            )
            for fname in columns
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS partner
                   SET %(assignments)s
                  FROM (VALUES %(values)s) AS figures(id, %(columns)s)
                 WHERE partner.id = figures.id
                """,
                assignments=assignments,
                values=values,
                columns=SQL(", ").join(SQL.identifier(fname) for fname in columns),
            )
        )
        self.browse(list(rows)).invalidate_recordset(list(columns))

    # ------------------------------------------------------------------
    # service KPIs
    # ------------------------------------------------------------------

    @api.model
    def _logistics_kpi_sql(self, partner_ids, company, since):
        """The query of the service KPIs of the commercial partners
        ``partner_ids`` in ``company`` from ``since``: one row per partner,
        with the columns of KPI_COLUMNS (NULL rates without deliveries) and
        the stored values to compare with (``old_<field>``)."""
        old_columns = SQL(", ").join(
            SQL("%s AS %s", self.with_company(company)._field_to_sql("partner", fname), SQL.identifier(f"old_{fname}"))
            for fname in KPI_COLUMNS
        )
        return SQL(
            """
            WITH contacts AS MATERIALIZED (
                SELECT id, commercial_partner_id FROM res_partner WHERE commercial_partner_id = ANY(%(ids)s)
            ),
            deliveries AS (
                SELECT contacts.commercial_partner_id AS partner_id,
                       picking.date_done <= COALESCE(picking.date_deadline, picking.scheduled_date) AS on_time,
                       NOT EXISTS (SELECT 1 FROM stock_picking backorder WHERE backorder.backorder_id = picking.id)
                       AND NOT EXISTS (
                           SELECT 1 FROM stock_move move
                            WHERE move.picking_id = picking.id
                              AND move.product_uom_qty > 0
                              AND (move.state = 'cancel' OR move.quantity < move.product_uom_qty)
                       ) AS in_full,
                       EXTRACT(EPOCH FROM picking.date_done - sale.date_order) / 86400.0 AS lead_days
                  FROM contacts
                  -- each contact's deliveries through the partner_id index
                  -- (OFFSET 0 keeps PostgreSQL from flattening this into a
                  -- scan and hash of every delivery of the window)
                 CROSS JOIN LATERAL (
                       SELECT * FROM stock_picking picking
                        WHERE picking.partner_id = contacts.id
                          AND picking.state = 'done'
                          AND picking.company_id = %(company)s
                          AND picking.date_done >= %(since)s
                       OFFSET 0
                 ) picking
                  JOIN stock_picking_type picking_type
                    ON picking_type.id = picking.picking_type_id AND picking_type.code = 'outgoing'
             LEFT JOIN sale_order sale ON sale.id = picking.sale_id
            ),
            per_partner AS (
                SELECT partner_id,
                       COUNT(*) AS total,
                       COUNT(*) FILTER (WHERE on_time) AS on_time,
                       COUNT(*) FILTER (WHERE in_full) AS in_full,
                       COUNT(*) FILTER (WHERE on_time AND in_full) AS otif,
                       AVG(lead_days) AS lead_days
                  FROM deliveries
              GROUP BY partner_id
            ),
            complaints AS (
                SELECT complaint.commercial_partner_id AS partner_id,
                       COUNT(*) AS total,
                       COUNT(*) FILTER (WHERE category.cargo_incident) AS incidents
                  FROM logistics_complaint complaint
             LEFT JOIN logistics_complaint_category category ON category.id = complaint.category_id
                 WHERE complaint.commercial_partner_id = ANY(%(ids)s)
                   AND complaint.company_id = %(company)s
                   AND complaint.create_date >= %(since)s
              GROUP BY complaint.commercial_partner_id
            )
            SELECT partner.id,
                   COALESCE(per_partner.total, 0) AS logistics_delivery_count,
                   ROUND(100.0 * per_partner.on_time / per_partner.total, 1) AS logistics_on_time_rate,
                   ROUND(100.0 * per_partner.in_full / per_partner.total, 1) AS logistics_in_full_rate,
                   ROUND(100.0 * per_partner.otif / per_partner.total, 1) AS logistics_otif_rate,
                   ROUND(per_partner.lead_days::numeric, 1) AS logistics_lead_time_days,
                   ROUND(100.0 * COALESCE(complaints.total, 0) / per_partner.total, 1) AS logistics_complaint_rate,
                   ROUND(100.0 * COALESCE(complaints.incidents, 0) / per_partner.total, 1)
                       AS logistics_damage_loss_rate,
                   %(old_columns)s
              FROM res_partner partner
         LEFT JOIN per_partner ON per_partner.partner_id = partner.id
         LEFT JOIN complaints ON complaints.partner_id = partner.id
             WHERE partner.id = ANY(%(ids)s)
            """,
            ids=list(partner_ids),
            company=company.id,
            since=since,
            old_columns=old_columns,
        )

    @api.model
    def _logistics_compute_kpis(self, partners, company, now=None):
        """Recompute the service KPIs in ``company`` of the commercial
        customers ``partners``: one aggregate query and, for the customers
        whose figures changed, one UPDATE. Return the ids written."""
        partners = partners.commercial_partner_id
        if not partners:
            return []
        now = now or fields.Datetime.now()
        self.env["stock.picking"].flush_model(
            ["state", "company_id", "date_done", "date_deadline", "scheduled_date", "partner_id", "sale_id"]
        )
        self.env["stock.move"].flush_model(["picking_id", "state", "quantity", "product_uom_qty"])
        self.env["logistics.complaint"].flush_model(["commercial_partner_id", "company_id", "category_id"])
        self.flush_model(["commercial_partner_id", *KPI_COLUMNS])
        self.env.cr.execute(self._logistics_kpi_sql(partners.ids, company, now - timedelta(days=WINDOW_DAYS)))
        rows = {}
        for row in self.env.cr.dictfetchall():
            new = tuple(None if row[fname] is None else float(row[fname]) for fname in KPI_COLUMNS)
            old = tuple(row[f"old_{fname}"] for fname in KPI_COLUMNS)
            # the count is read 0 where a company has none: none is stored then
            new = (new[0] or None, *new[1:])
            old = (old[0] or None, *(None if value is None else float(value) for value in old[1:]))
            if new != old:
                rows[row["id"]] = new
        self._logistics_write_company_figures(company, KPI_COLUMNS, rows)
        return list(rows)

    @api.model
    def _logistics_kpi_customer_ids(self, company, since):
        """The commercial customers whose KPIs in ``company`` may change:
        those with a delivery or a complaint there since ``since``, and those
        with figures stored (to clear when they leave the window)."""
        self.env["stock.picking"].flush_model(["state", "company_id", "date_done", "partner_id"])
        self.env["logistics.complaint"].flush_model(["commercial_partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT contact.commercial_partner_id
                  FROM stock_picking picking
                  JOIN res_partner contact ON contact.id = picking.partner_id
                 WHERE picking.state = 'done' AND picking.company_id = %(company)s AND picking.date_done >= %(since)s
                 UNION
                SELECT commercial_partner_id FROM logistics_complaint
                 WHERE company_id = %(company)s AND create_date >= %(since)s
                 UNION
                SELECT id FROM res_partner WHERE logistics_delivery_count ? %(key)s
                """,
                company=company.id,
                since=since,
                key=str(company.id),
            )
        )
        return sorted(partner_id for (partner_id,) in self.env.cr.fetchall() if partner_id)

    @api.model
    def _cron_logistics_kpis(self, batch_size=1000, now=None):
        """Nightly: the service KPIs of every customer of every company, in
        batches of a constant number of queries each."""
        now = now or fields.Datetime.now()
        since = now - timedelta(days=WINDOW_DAYS + 1)
        # sudo: the nightly figures cover every customer of every company
        for company in self.env["res.company"].sudo().search([], order="id"):
            Partner = self.sudo().with_company(company)
            for batch in split_every(batch_size, self._logistics_kpi_customer_ids(company, since), Partner.browse):
                self._logistics_compute_kpis(batch, company, now=now)
