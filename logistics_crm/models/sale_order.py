import math
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round

from .selections import GRADE_SELECTION

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
MANAGER = "logistics_crm.group_logistics_crm_manager"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_customer_grade = fields.Selection(
        GRADE_SELECTION,
        string="Customer Grade",
        compute="_compute_logistics_customer_grade",
        search="_search_logistics_customer_grade",
        help="Grade of the customer in the company of the order.",
    )
    logistics_customer_csat = fields.Float(
        string="Customer CSAT (%)",
        compute="_compute_logistics_customer_csat",
        groups=SPECIALIST,
        help="The customer's CSAT over the last 365 days in the company of the order.",
    )
    logistics_customer_open_complaints = fields.Integer(
        string="Customer's Open Complaints",
        compute="_compute_logistics_customer_open_complaints",
        groups=SPECIALIST,
    )

    logistics_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )
    logistics_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_logistics_complaint_count", groups=SPECIALIST
    )

    logistics_loyalty_tier_id = fields.Many2one(
        "logistics.loyalty.tier",
        string="Loyalty Tier",
        compute="_compute_logistics_loyalty_tier_id",
        groups=SPECIALIST,
        help="The customer's tier in the loyalty programme of the order's company.",
    )

    def action_logistics_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self.partner_id, order=self)

    def action_logistics_force_send_survey(self):
        self.ensure_one()
        return self.env["logistics.survey"]._logistics_send_manual(self.partner_id, order=self, force=True)

    @api.depends("partner_id", "company_id")
    def _compute_logistics_customer_grade(self):
        self.logistics_customer_grade = False
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            # sudo: the grade of the order's customer is shown to whoever may
            # read the order (salespeople without a Logistics CRM role
            # included); the customer's other figures stay restricted. Read
            # in the order's company, for the orders of a company at once.
            customers = orders.partner_id.commercial_partner_id.sudo().with_company(company)
            grades = {customer.id: customer.logistics_grade for customer in customers}
            for order in orders:
                order.logistics_customer_grade = grades.get(order.partner_id.commercial_partner_id.id, False)

    @api.depends("partner_id", "company_id")
    def _compute_logistics_customer_csat(self):
        csat = self.env["res.partner"]._logistics_customer_figure(self, "logistics_csat")
        for order in self:
            order.logistics_customer_csat = csat.get(order.id) or 0.0

    def _search_logistics_customer_grade(self, operator, value):
        # sudo: the grade is searched for whoever may read the orders; only
        # the matching customers' ids come out (in the current company)
        customers = self.env["res.partner"].sudo()._search([("logistics_grade", operator, value)])
        return [("partner_id.commercial_partner_id", "in", customers)]

    @api.depends("partner_id")
    def _compute_logistics_customer_open_complaints(self):
        counts = self.env["logistics.complaint"]._logistics_customer_open_counts(self)
        for order in self:
            order.logistics_customer_open_complaints = counts[order.id]

    def _logistics_credit_status(self):
        """{order id: the credit status of its customer in the order's company}."""
        # sudo: the credit status guards the confirmation, whoever confirms
        status = {}
        for order in self:
            customer = order.partner_id.commercial_partner_id.sudo().with_company(order.company_id)
            status[order.id] = customer.logistics_credit_status
        return status

    @api.onchange("partner_id")
    def _onchange_partner_id_logistics_credit(self):
        if not self.partner_id:
            return None
        status = self._logistics_credit_status().get(self.id)
        if status not in ("poor", "blocked"):
            return None
        customer = self.partner_id.commercial_partner_id.display_name
        if status == "blocked":
            message = self.env._(
                "The credit status of %(customer)s is blocked: only a Logistics CRM manager can confirm its orders.",
                customer=customer,
            )
        else:
            message = self.env._(
                "The credit status of %(customer)s is poor: check its payments before promising service.",
                customer=customer,
            )
        return {"warning": {"title": self.env._("Customer credit"), "message": message}}

    def action_confirm(self):
        status = self._logistics_credit_status()
        blocked = self.filtered(lambda order: status[order.id] == "blocked")
        if blocked and not (self.env.user.has_group(MANAGER) or self.env.uid == SUPERUSER_ID):
            raise UserError(
                self.env._(
                    "The credit status of %(customers)s is blocked: only a Logistics CRM manager can "
                    "confirm the order %(orders)s.",
                    customers=", ".join(sorted(set(blocked.partner_id.commercial_partner_id.mapped("name")))),
                    orders=", ".join(blocked.mapped("name")),
                )
            )
        res = super().action_confirm()
        if blocked:
            body = self.env._(
                "Confirmed by %(user)s although the customer's credit status is blocked.", user=self.env.user.name
            )
            blocked._message_log_batch(bodies=dict.fromkeys(blocked.ids, body))
        return res

    def _compute_logistics_complaint_count(self):
        counts = self.env["logistics.complaint"]._logistics_counts("sale_order_id", set(self.ids))
        for order in self:
            order.logistics_complaint_count, order.logistics_open_complaint_count = counts.get(order.id, (0, 0))

    def action_logistics_view_complaints(self):
        self.ensure_one()
        return self.env["logistics.complaint"]._logistics_action_for(
            [("sale_order_id", "=", self.id)],
            {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id},
        )

    def init(self):
        res = super().init()
        # the grading reads the confirmed orders of a batch of customers in a
        # company over a date window, and their amounts: all from this index
        # (an index-only scan), not from the orders themselves
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS sale_order_logistics_grading_index
                    ON sale_order (partner_id, company_id, state, date_order)
                    INCLUDE (amount_untaxed, currency_rate)
                """
            )
        )
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        self._logistics_recompute_customer_grades()
        # the deliveries were created before the grading: a first order's
        # deliveries get the grade the order has just given its customer
        self.picking_ids.filtered(lambda picking: not picking.logistics_customer_grade)._logistics_stamp_customer()
        return res

    def _action_cancel(self):
        confirmed = self.filtered(lambda order: order.state == "sale")
        # Odoo deletes the order's points history on cancelling: the
        # entries of the logistics ledger stay, and the points come back as
        # an entry of their own
        res = super(SaleOrder, self.with_context(logistics_keep_ledger=True))._action_cancel()
        confirmed._logistics_give_back_points()
        self._logistics_recompute_customer_grades()
        return res

    # ------------------------------------------------------------------
    # loyalty: redeeming the points of the logistics programme
    # ------------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_logistics_loyalty_tier_id(self):
        # sudo: the tier on the customer's card, which the order's readers see
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("logistics_company_id", "in", self.company_id.ids),
                    ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ]
            )
        )
        tier_of = {(card.logistics_company_id.id, card.partner_id.id): card.logistics_tier_id for card in cards}
        for order in self:
            key = (order.company_id.id, order.partner_id.commercial_partner_id.id)
            order.logistics_loyalty_tier_id = tier_of.get(key, self.env["logistics.loyalty.tier"])

    def _logistics_loyalty_card(self):
        """The customer's card in the logistics programme of the order's
        company (empty when it has none)."""
        self.ensure_one()
        # sudo: the card of the order's customer, for Odoo's reward flow
        return (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("logistics_company_id", "=", self.company_id.id),
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ],
                limit=1,
            )
        )

    def _update_programs_and_rewards(self):
        # the programme has no earning rule for Odoo to match: the customer's
        # card is offered to quotations the way Odoo loads e-wallets
        if self.state in ("draft", "sent"):
            card = self._logistics_loyalty_card() if self.partner_id else self.env["loyalty.card"]
            # another customer's card (the customer or company changed) goes,
            # with its reward lines (Odoo drops the rewards of removed cards)
            others = self.applied_coupon_ids.sudo().filtered(lambda c: c.logistics_company_id and c != card)
            if others:
                self.applied_coupon_ids -= others
                self.order_line.filtered(lambda line: line.coupon_id in others).unlink()
            if card and card.points > 0 and card not in self.applied_coupon_ids:
                self.applied_coupon_ids += card
        return super()._update_programs_and_rewards()

    def _logistics_redeem_cap(self):
        """The most that points may pay of this order, in its currency: the
        company's redeemable share of its untaxed amount before rewards."""
        self.ensure_one()
        base = sum(self.order_line.filtered(lambda line: not line.is_reward_line).mapped("price_subtotal"))
        return self.currency_id.round(max(base, 0.0) * self.company_id.logistics_loyalty_redeem_share / 100.0)

    def _get_reward_values_discount(self, reward, coupon, **kwargs):
        values_list = super()._get_reward_values_discount(reward, coupon, **kwargs)
        if not coupon.sudo().logistics_company_id or reward.discount_mode != "per_point" or not reward.discount:
            return values_list
        # never more than the redeemable share of the order, in whole points
        cap = self._logistics_redeem_cap()
        for values in values_list:
            amount = min(-values["price_unit"], cap)
            in_reward_currency = self.currency_id._convert(
                amount, reward.currency_id, self.company_id, fields.Date.today()
            )
            points = math.floor(float_round(in_reward_currency / reward.discount, precision_digits=6))
            values["points_cost"] = points
            values["price_unit"] = -reward.currency_id._convert(
                points * reward.discount, self.currency_id, self.company_id, fields.Date.today()
            )
            cap -= -values["price_unit"]
        return values_list

    def _get_point_changes(self):
        # the points of the logistics cards change through their ledger only
        changes = super()._get_point_changes()
        return {coupon: change for coupon, change in changes.items() if not coupon.sudo().logistics_company_id}

    def _add_loyalty_history_lines(self):
        # the history lines of logistics cards become redemption entries
        # of the ledger (see loyalty.history.create)
        return super(SaleOrder, self.with_context(logistics_order_history=True))._add_loyalty_history_lines()

    def _logistics_redeem(self, vals_list):
        """Post Odoo's history values ``vals_list`` of this order's logistics
        cards as redemption entries, after checking the reward lines against
        the points they cost and the redeemable share; refuse what the
        balance does not cover (the cards are locked: two orders redeeming
        from one card at once never overdraw it). Returns the entries."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: line.coupon_id.sudo().logistics_company_id)
        card = self._logistics_loyalty_card()
        if (
            lines.coupon_id.sudo() - card
            or any(vals["card_id"] != card.id for vals in vals_list)
            or float_compare(
                sum(vals.get("used", 0.0) for vals in vals_list), sum(lines.mapped("points_cost")), precision_digits=2
            )
        ):
            raise ValidationError(
                self.env._(
                    "%(order)s redeems loyalty points of another customer or company, or other points than its "
                    "discount costs: apply the reward again.",
                    order=self.name,
                )
            )
        redeemed = -sum(lines.mapped("price_subtotal"))
        worth = sum(
            line.points_cost
            * line.reward_id.currency_id._convert(
                line.reward_id.discount, self.currency_id, self.company_id, fields.Date.today()
            )
            for line in lines
        )
        if (
            self.currency_id.compare_amounts(redeemed, worth) > 0
            or self.currency_id.compare_amounts(redeemed, self._logistics_redeem_cap()) > 0
        ):
            raise ValidationError(
                self.env._(
                    "The loyalty discount of %(order)s is worth more than the points it costs or than "
                    "%(share)s%% of the order: apply the reward again.",
                    order=self.name,
                    share=self.company_id.logistics_loyalty_redeem_share,
                )
            )
        entries_vals = [
            {
                "card_id": vals["card_id"],
                "logistics_kind": "redeem",
                "issued": 0.0,
                "used": vals.get("used", 0.0),
                "order_model": self._name,
                "order_id": self.id,
                "description": self.env._("Redeemed on %(order)s", order=self.name),
            }
            for vals in vals_list
            if vals.get("used")
        ]
        if not entries_vals:
            return self.env["loyalty.history"]
        Card = self.env["loyalty.card"]
        entries = Card._logistics_post(entries_vals)
        self.env.cr.execute(
            SQL("SELECT id FROM loyalty_card WHERE id IN %s AND points < 0", tuple(entries.card_id.ids))
        )
        if self.env.cr.fetchall():
            raise ValidationError(
                self.env._(
                    "%(customer)s does not have the loyalty points %(order)s redeems (another order may have "
                    "used them meanwhile): remove the reward or apply it again.",
                    customer=self.partner_id.commercial_partner_id.display_name,
                    order=self.name,
                )
            )
        return entries

    def _logistics_give_back_points(self):
        """Give back the points these cancelled orders redeemed from
        logistics cards, as redemption entries that issue them (once: what
        was redeemed less what was given back)."""
        if not self:
            return
        # sudo: the ledger of the orders cancelled, whoever cancels them
        groups = (
            self.env["loyalty.history"]
            .sudo()
            ._read_group(
                [("logistics_kind", "=", "redeem"), ("order_model", "=", self._name), ("order_id", "in", self.ids)],
                ["order_id", "card_id"],
                ["used:sum", "issued:sum"],
            )
        )
        names = dict(zip(self.ids, self.mapped("name"), strict=True))
        vals_list = [
            {
                "card_id": card.id,
                "logistics_kind": "redeem",
                "issued": used - issued,
                "used": 0.0,
                "order_model": self._name,
                "order_id": order_id,
                "description": self.env._("%(order)s cancelled: redeemed points given back", order=names[order_id]),
            }
            for order_id, card, used, issued in groups
            if used - issued > 0
        ]
        if vals_list:
            self.env["loyalty.card"]._logistics_post(vals_list)

    def _logistics_recompute_customer_grades(self):
        """Regrade the customers of these orders (their commercial entities),
        in the company of the orders."""
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            orders.partner_id.commercial_partner_id._logistics_recompute_grades(company)

    @api.model
    def _logistics_create_demo_orders(self, specs):
        """Create confirmed, delivered demo orders dated in the past year.

        ``specs`` is a list of ``(partner xmlid, product xmlid, order count,
        unit price, first day ago, last day ago)``: the orders are spread evenly
        between those two days ago, each for one unit, and their deliveries are
        validated on the order date. The salesperson of an order is the
        customer's (or its commercial entity's) where it has one, so that the
        salesperson finds the orders behind the customer's figures; otherwise
        Odoo's default. Used by the demo data only.
        """
        now = fields.Datetime.now()
        orders = self.browse()
        order_dates = {}
        for partner_xmlid, product_xmlid, count, price, first_day, last_day in specs:
            partner = self.env.ref(partner_xmlid)
            product = self.env.ref(product_xmlid)
            salesperson = partner.user_id or partner.commercial_partner_id.user_id
            step = (first_day - last_day) / max(count - 1, 1)
            for index in range(count):
                values = {
                    "partner_id": partner.id,
                    "order_line": [
                        fields.Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": price})
                    ],
                }
                if salesperson:
                    values["user_id"] = salesperson.id
                order = self.create(values)
                order_dates[order.id] = now - timedelta(days=round(first_day - index * step))
                orders |= order
        orders.action_confirm()
        pickings = orders.picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings._action_done()
        for order in orders:
            order.date_order = order_dates[order.id]
            order.picking_ids.date_done = order_dates[order.id]
        orders._logistics_recompute_customer_grades()
        return orders
