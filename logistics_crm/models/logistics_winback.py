"""Win-back: what was done when a customer became at risk of churning, and
whether it ordered again within 90 days."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .selections import GRADE_SELECTION, WINBACK_ACTION_SELECTION

# the days within which an order counts as the customer's return
REACTIVATION_DAYS = 90


class LogisticsWinback(models.Model):
    _name = "logistics.winback"
    _description = "Customer Win-back"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    date = fields.Datetime(string="At Risk Since", required=True, readonly=True)
    grade = fields.Selection(GRADE_SELECTION, readonly=True)
    action = fields.Selection(WINBACK_ACTION_SELECTION, required=True, readonly=True)
    reason = fields.Selection([("interval", "Overdue Order"), ("spend", "Falling Spend")], readonly=True)
    done = fields.Boolean(
        readonly=True, help="Whether the action could be taken (a salesperson to call, an email to survey)."
    )
    points = fields.Integer(string="Points Given", readonly=True)
    reactivated_date = fields.Datetime(
        string="Ordered Again On", readonly=True, help="The first order confirmed within 90 days after the warning."
    )
    reactivated_rate = fields.Float(
        string="Reactivated (%)",
        compute="_compute_reactivated_rate",
        store=True,
        aggregator="avg",
        help="100 when the customer ordered again within 90 days, else 0: its average is the reactivation rate.",
    )

    @api.depends("reactivated_date")
    def _compute_reactivated_rate(self):
        for winback in self:
            winback.reactivated_rate = 100.0 if winback.reactivated_date else 0.0

    @api.model
    def _cron_reactivation(self, now=None):
        """Mark the win-backs of the last 90 days whose customer has
        confirmed an order since: one statement (which sets the rate as its
        compute would)."""
        now = now or fields.Datetime.now()
        self.env["sale.order"].flush_model(["state", "company_id", "date_order", "partner_id"])
        self.flush_model(["date", "company_id", "partner_id", "reactivated_date", "reactivated_rate"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_winback winback
                   SET reactivated_date = reorder.date_order, reactivated_rate = 100.0
                  FROM (
                        SELECT winback.id, MIN(so.date_order) AS date_order
                          FROM logistics_winback winback
                          JOIN res_partner contact ON contact.commercial_partner_id = winback.partner_id
                          JOIN sale_order so
                            ON so.partner_id = contact.id
                           AND so.company_id = winback.company_id
                           AND so.state = 'sale'
                           AND so.date_order >= winback.date
                           AND so.date_order <= winback.date + %(days)s * interval '1 day'
                         WHERE winback.reactivated_date IS NULL
                           AND winback.date >= %(since)s
                      GROUP BY winback.id
                       ) reorder
                 WHERE winback.id = reorder.id
                """,
                days=REACTIVATION_DAYS,
                since=now - timedelta(days=REACTIVATION_DAYS + 1),
            )
        )
        self.invalidate_model(["reactivated_date", "reactivated_rate"])

    @api.model
    def _logistics_start(self, risks, company, now):
        """Win back the customers of ``risks`` ((row of the value query,
        reason) of the customers that have just become at risk in
        ``company``): the action their grade's service level says, in one
        batch per action, and a win-back record each (once per episode: the
        caller passes only the customers whose warning has just come on)."""
        if not risks:
            return self.browse()
        levels = self.env["logistics.service.level"].sudo()._get_levels_by_grade(company)
        by_action = {"call": [], "survey": [], "points": []}
        for row, reason in risks:
            level = levels.get(row["logistics_grade"])
            action = level.winback_action if level else "call"
            by_action[action].append((row, reason, level))
        Partner = self.env["res.partner"].sudo().with_company(company)
        done = set(Partner._logistics_warn_churn([row for row, __, __ in by_action["call"]], company))
        customers = Partner.browse([row["id"] for row, __, __ in by_action["survey"]])
        surveys = self.env["logistics.survey"].sudo()._logistics_send_winback(customers, company)
        done |= set(surveys.partner_id.ids)
        given = self._logistics_give_points(
            {row["id"]: level.winback_points for row, __, level in by_action["points"]}, company
        )
        done |= set(given)
        # sudo: the system records what it did
        return self.sudo().create(
            [
                {
                    "partner_id": row["id"],
                    "company_id": company.id,
                    "user_id": row["user_id"],
                    "date": now,
                    "grade": row["logistics_grade"] or False,
                    "action": action,
                    "reason": reason,
                    "done": row["id"] in done,
                    "points": given.get(row["id"], 0),
                }
                for action, items in by_action.items()
                for row, reason, __ in items
            ]
        )

    @api.model
    def _logistics_give_points(self, points_by_customer, company):
        """Credit ``points_by_customer`` ({customer id: points}) on the
        customers' cards of ``company``'s programme, as ledger entries of the
        system; return {customer id: points given}."""
        points_by_customer = {pid: points for pid, points in points_by_customer.items() if points > 0}
        if not points_by_customer or not company.logistics_loyalty_program_id:
            return {}
        Card = self.env["loyalty.card"].sudo()
        cards = Card._logistics_cards(self.env["res.partner"].browse(list(points_by_customer)), company)
        Card._logistics_post(
            [
                {
                    "card_id": cards[pid].id,
                    "logistics_kind": "adjust",
                    "issued": points,
                    "used": 0.0,
                    "description": self.env._("Win-back gift: we would like to see you again"),
                }
                for pid, points in points_by_customer.items()
            ]
        )
        return points_by_customer
