from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.text import MAX_REASON_LENGTH, has_visible_text

MANAGER = "logistics_crm.group_logistics_crm_manager"
# the largest adjustment, either way
POINTS_MAX = 10_000_000


class LogisticsLoyaltyAdjust(models.TransientModel):
    """A manager's adjustment of a customer's loyalty points: a new ledger
    entry with its reason, never an edit of the ledger."""

    _name = "logistics.loyalty.adjust"
    _description = "Adjust Loyalty Points"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    balance = fields.Float(string="Current Balance", digits=(16, 0), compute="_compute_balance")
    points = fields.Integer(required=True, help="Points to add (positive) or to take off (negative).")
    reason = fields.Text(required=True)
    done = fields.Boolean(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_id"):
            partner = self.env["res.partner"].browse(self.env.context["active_id"])
            values["partner_id"] = partner.commercial_partner_id.id
        return values

    @api.depends("partner_id")
    def _compute_balance(self):
        for wizard in self:
            customer = wizard.partner_id.commercial_partner_id
            # sudo: the balance of the customer's card, shown to the manager
            wizard.balance = customer.sudo().logistics_loyalty_points if customer else 0.0

    def action_apply(self):
        """Post the adjustment: one ledger entry (kind adjustment, the reason
        as its description) on the customer's card in the current company,
        never below a zero balance (checked under the card's lock); a
        wizard applies once, whatever the clicks."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only Logistics CRM managers adjust loyalty points."))
        if self.done:
            raise UserError(self.env._("This adjustment was applied already."))
        if not self.points or abs(self.points) > POINTS_MAX:
            raise ValidationError(
                self.env._("Adjust by a number of points other than 0, up to %(max)s either way.", max=POINTS_MAX)
            )
        if not has_visible_text(self.reason) or len(self.reason) > MAX_REASON_LENGTH:
            raise ValidationError(
                self.env._("Give the reason of the adjustment (up to %(max)s characters).", max=MAX_REASON_LENGTH)
            )
        company = self.env.company
        if not company.logistics_loyalty_program_id:
            raise UserError(self.env._("%(company)s has no loyalty programme.", company=company.name))
        customer = self.partner_id.commercial_partner_id
        Card = self.env["loyalty.card"]
        card = Card._logistics_cards(customer, company)[customer.id]
        card._logistics_lock()
        if card.points + self.points < 0:
            raise ValidationError(
                self.env._(
                    "%(customer)s holds %(balance)s points: an adjustment cannot take more.",
                    customer=customer.display_name,
                    balance=f"{card.points:,.0f}",
                )
            )
        # the wizard is marked first: a second click, in the same transaction
        # or after it, finds it done
        self.done = True
        Card._logistics_post(
            [
                {
                    "card_id": card.id,
                    "logistics_kind": "adjust",
                    "issued": max(self.points, 0),
                    "used": max(-self.points, 0),
                    "description": self.env._(
                        "Adjustment by %(user)s: %(reason)s", user=self.env.user.name, reason=self.reason.strip()
                    ),
                }
            ]
        )
        card._logistics_recompute_tiers()
        return {"type": "ir.actions.act_window_close"}
