"""Customer journeys: the welcome of a new customer."""

from collections import defaultdict
from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
WELCOME_TEMPLATE = "logistics_crm.mail_template_customer_welcome"


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_welcomed_date = fields.Datetime(
        string="Welcomed On",
        readonly=True,
        copy=False,
        groups=SPECIALIST,
        help="When the customer's first confirmed order sent it the welcome email (once per customer).",
    )

    def _logistics_welcome(self, orders):
        """Welcome those of these commercial customers whose first order is
        among ``orders`` (just confirmed): the welcome email, in the
        customer's language, naming its salesperson and service level, and
        an onboarding to-do for the salesperson. Exactly once per customer:
        the date is claimed in one statement that only a customer never
        welcomed and without another confirmed order passes, so that a
        second confirmation, a re-confirmation or two users at once never
        welcome twice."""
        if not self:
            return self.browse()
        self.env["sale.order"].flush_model(["state", "partner_id"])
        self.flush_model(["commercial_partner_id", "logistics_welcomed_date"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner customer
                   SET logistics_welcomed_date = %(now)s
                 WHERE customer.id = ANY(%(ids)s)
                   AND customer.logistics_welcomed_date IS NULL
                   AND NOT EXISTS (
                       SELECT 1 FROM sale_order so
                         JOIN res_partner contact ON contact.id = so.partner_id
                        WHERE contact.commercial_partner_id = customer.id
                          AND so.state = 'sale'
                          AND so.id != ALL(%(orders)s)
                   )
             RETURNING customer.id
                """,
                now=fields.Datetime.now(),
                ids=list(self.ids),
                orders=list(orders.ids),
            )
        )
        welcomed = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        welcomed.invalidate_recordset(["logistics_welcomed_date"])
        if not welcomed:
            return welcomed
        # the first of the orders of each welcomed customer, in its company,
        # whose service levels apply
        first_orders = {}
        for order in orders.sorted("id"):
            first_orders.setdefault(order.partner_id.commercial_partner_id.id, order)
        template = self.env.ref(WELCOME_TEMPLATE, raise_if_not_found=False)
        by_company = defaultdict(list)
        for customer_id in welcomed.ids:
            by_company[first_orders[customer_id].company_id].append(first_orders[customer_id].id)
        for company, order_ids in by_company.items():
            # sudo: the system welcomes the customer, with its service level
            # (a Logistics CRM field), whoever confirmed the order
            company_orders = self.env["sale.order"].sudo().with_company(company).browse(order_ids)
            mailed = company_orders.filtered(lambda order: order.partner_id.email)
            if template and mailed:
                template.sudo().with_company(company).send_mail_batch(mailed.ids)
            company_orders.partner_id.commercial_partner_id._logistics_plan_onboarding()
        return welcomed

    def _logistics_plan_onboarding(self):
        """An onboarding to-do for the salesperson of each of these new
        customers, created in one batch."""
        managed = self.filtered("user_id")
        if not managed:
            return
        deadline = fields.Date.context_today(self) + timedelta(days=3)
        self.env["mail.activity"]._logistics_schedule(
            self.env.ref("mail.mail_activity_data_todo"),
            [
                (
                    customer,
                    {
                        "summary": self.env._("Onboard the new customer"),
                        "note": self.env._(
                            "First order confirmed: introduce yourself, check the service level %(level)s "
                            "and plan the first visit.",
                            level=customer.logistics_service_level_id.name or "-",
                        ),
                        "user_id": customer.user_id.id,
                        "date_deadline": deadline,
                    },
                )
                for customer in managed
            ],
        )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self.partner_id.commercial_partner_id._logistics_welcome(self)
        return res
