import math
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_round, html2plaintext
from odoo.tools.i18n import format_list

from ..tools import sla
from ..tools.numbers import SPEND_MAX
from ..tools.text import has_visible_text
from .selections import (
    COMPENSATION_KIND_SELECTION,
    COMPENSATION_STATE_SELECTION,
    COMPLAINT_CHANNEL_SELECTION,
    COMPLAINT_LIABLE_SELECTION,
    COMPLAINT_SEVERITY_SELECTION,
    COMPLAINT_STATE_SELECTION,
    GRADE_SELECTION,
    SLA_STATUS_SELECTION,
)

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
MANAGER = "logistics_crm.group_logistics_crm_manager"
# A complaint of the same customer and category within these days of an
# earlier one is a repeat.
REPEAT_DAYS = 90
# The longest summary (a line, or the subject of an email).
MAX_SUMMARY_LENGTH = 200
# The grade whose service level applies to customers without a grade.
FALLBACK_GRADE = "D"
OPEN_STATES = ("new", "acknowledged", "in_progress", "waiting_customer")
# {action: (states it starts from, state it leads to)}
TRANSITIONS = {
    "action_acknowledge": (("new",), "acknowledged"),
    "action_start": (("acknowledged", "waiting_customer"), "in_progress"),
    "action_wait": (("in_progress",), "waiting_customer"),
    "action_resolve": (("in_progress",), "resolved"),
    "action_close": (("resolved",), "closed"),
    "action_reopen": (("resolved", "closed"), "in_progress"),
    "action_cancel": (OPEN_STATES, "cancelled"),
}
# Fields only the system writes: the reference and the state (through the
# actions), the SLA clock.
SYSTEM_FIELDS = frozenset(
    {
        "date_received",
        "first_response_deadline",
        "resolution_deadline",
        "first_response_date",
        "resolution_date",
        "sla_status",
        "waiting_since",
        "paused_hours",
        "reopen_count",
        "is_repeat",
        "compensation_state",
        "compensation_approved_amount",
        "needs_triage",
        "customer_grade",
        "first_response_hours",
        "resolution_hours",
        "sla_next_check",
        "risk_escalated_deadline",
        "breach_escalated_deadline",
    }
)
# States in which the SLA clock runs.
RUNNING_STATES = ("new", "acknowledged", "in_progress")
# What the discretion over compensation depends on: a change decides again.
COMPENSATION_INPUT_FIELDS = frozenset({"compensation_amount", "sale_order_id", "company_id"})
# What the deadlines are computed from: a change before the first response
# moves them.
DEADLINE_INPUT_FIELDS = frozenset({"partner_id", "severity", "company_id"})


class LogisticsComplaint(models.Model):
    _name = "logistics.complaint"
    # rating.mixin is mail.thread with ratings
    _inherit = [
        "rating.mixin",
        "mail.activity.mixin",
        "portal.mixin",
        "logistics.guarded.mixin",
        "logistics.number.mixin",
    ]
    _description = "Customer Complaint"
    _order = "date_received desc, id desc"
    _check_company_auto = True
    # whoever may read a complaint may discuss it in its chatter
    _mail_post_access = "read"
    _primary_email = "email_from"
    _logistics_system_fields = SYSTEM_FIELDS
    _logistics_number_maxima = {"compensation_amount": SPEND_MAX}

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer or contact who complains.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Customer",
        store=True,
        index=True,
    )
    customer_grade = fields.Selection(
        GRADE_SELECTION,
        string="Grade",
        compute="_compute_customer_grade",
        store=True,
        index=True,
        groups=SPECIALIST,
        help="The customer's grade in the complaint's company when the complaint was filed for it, "
        "whose service level sets the deadlines.",
    )
    email_from = fields.Char(string="Email", help="The sender of a complaint received by email.")
    needs_triage = fields.Boolean(
        string="To Triage",
        readonly=True,
        copy=False,
        help="Received by email from an unknown sender: set its customer.",
    )
    summary = fields.Char(help="What the complaint is about, in a line (the subject of an email).")
    channel = fields.Selection(COMPLAINT_CHANNEL_SELECTION, default="phone", required=True)
    category_id = fields.Many2one("logistics.complaint.category", string="Category", tracking=True, index=True)
    severity = fields.Selection(COMPLAINT_SEVERITY_SELECTION, default="normal", required=True, tracking=True)
    description = fields.Html(sanitize=True, sanitize_overridable=False)
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", index="btree_not_null", check_company=True)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing')]",
    )
    survey_id = fields.Many2one(
        "logistics.survey",
        string="Satisfaction Survey",
        index="btree_not_null",
        check_company=True,
        help="The satisfaction survey whose answer led to this complaint.",
    )
    state = fields.Selection(
        COMPLAINT_STATE_SELECTION,
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    # resolution
    cause_id = fields.Many2one("logistics.complaint.cause", string="Root Cause", tracking=True, groups=SPECIALIST)
    liable_party = fields.Selection(COMPLAINT_LIABLE_SELECTION, string="Liable Party", tracking=True, groups=SPECIALIST)
    corrective_action = fields.Text(string="Corrective Action")
    # compensation, in the company's currency
    currency_id = fields.Many2one(related="company_id.currency_id")
    compensation_amount = fields.Monetary(tracking=True, copy=False, groups=SPECIALIST)
    compensation_kind = fields.Selection(COMPENSATION_KIND_SELECTION, tracking=True, copy=False, groups=SPECIALIST)
    compensation_limit = fields.Monetary(
        string="Compensation Discretion",
        compute="_compute_compensation_limit",
        groups=SPECIALIST,
        help="Compensation granted without a manager's approval: a share of the order's "
        "untaxed amount, or a fixed amount without order (company settings).",
    )
    compensation_state = fields.Selection(
        COMPENSATION_STATE_SELECTION, readonly=True, copy=False, tracking=True, index=True, groups=SPECIALIST
    )
    compensation_approved_amount = fields.Monetary(readonly=True, copy=False, groups=SPECIALIST)
    # the SLA clock (set by the system)
    date_received = fields.Datetime(string="Received", readonly=True, copy=False, index=True)
    first_response_deadline = fields.Datetime(readonly=True, copy=False)
    resolution_deadline = fields.Datetime(readonly=True, copy=False, index=True)
    first_response_date = fields.Datetime(string="First Response", readonly=True, copy=False)
    resolution_date = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    waiting_since = fields.Datetime(readonly=True, copy=False)
    paused_hours = fields.Float(
        string="Paused (hours)",
        readonly=True,
        copy=False,
        help="Time spent waiting for the customer, which does not count against the deadlines.",
    )
    sla_status = fields.Selection(
        SLA_STATUS_SELECTION, string="SLA Status", readonly=True, copy=False, index=True, tracking=True
    )
    # reporting: hours from receipt (the time paused left out of resolution)
    first_response_hours = fields.Float(
        string="Hours to First Response",
        compute="_compute_handling_hours",
        store=True,
        aggregator="avg",
    )
    resolution_hours = fields.Float(
        string="Hours to Resolution",
        compute="_compute_handling_hours",
        store=True,
        aggregator="avg",
    )
    # escalation: when to look again, and the deadline each escalation was made for
    sla_next_check = fields.Datetime(readonly=True, copy=False, index="btree_not_null", groups=SPECIALIST)
    risk_escalated_deadline = fields.Datetime(readonly=True, copy=False, groups=SPECIALIST)
    breach_escalated_deadline = fields.Datetime(readonly=True, copy=False, groups=SPECIALIST)
    reopen_count = fields.Integer(string="Reopened", readonly=True, copy=False)
    is_repeat = fields.Boolean(
        string="Repeat Complaint",
        compute="_compute_is_repeat",
        store=True,
        groups=SPECIALIST,
        help=f"The customer complained in the same category within {REPEAT_DAYS} days before.",
    )

    # ------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_user_id(self):
        for complaint in self:
            manager = complaint._logistics_account_manager()
            if manager:
                complaint.user_id = manager
            elif complaint.user_id:
                continue
            elif not self.env.user._is_superuser() and not self.env.user.share:
                complaint.user_id = self.env.user
            else:
                # received by email or filed on the portal: the company's
                # default owner, else nobody until someone takes it
                company = complaint.company_id or self.env.company
                complaint.user_id = company.logistics_complaint_default_user_id

    @api.depends("commercial_partner_id", "company_id")
    def _compute_customer_grade(self):
        # the grade the deadlines come from; kept when the customer's grade
        # changes later, so that the reports show the grade it was handled at
        for company, complaints in self.grouped("company_id").items():
            # sudo: the grade is configuration that sets the deadlines,
            # whoever files the complaint
            customers = complaints.commercial_partner_id.sudo().with_company(company or self.env.company)
            grades = {customer.id: customer.logistics_grade for customer in customers}
            for complaint in complaints:
                complaint.customer_grade = grades.get(complaint.commercial_partner_id.id, False)

    def _logistics_account_manager(self):
        """The customer's salesperson when its service level requires an
        account manager, else nothing."""
        self.ensure_one()
        # sudo: reads the customer's grade and service level, configuration
        # that decides the owner whoever files the complaint
        customer = self.partner_id.commercial_partner_id.sudo().with_company(self.company_id or self.env.company)
        if customer.logistics_service_level_id.account_manager_required and customer.user_id:
            return customer.user_id
        return self.env["res.users"]

    @api.depends("sale_order_id", "company_id")
    def _compute_compensation_limit(self):
        for complaint in self:
            complaint.compensation_limit = complaint._logistics_compensation_limit()

    def _logistics_compensation_limit(self):
        """The compensation this complaint's handler grants without approval."""
        self.ensure_one()
        company = self.company_id or self.env.company
        # sudo: the order's amount sets the limit, whoever handles the complaint
        order = self.sale_order_id.sudo()
        if not order:
            return company.logistics_compensation_fixed_limit
        amount = order.amount_untaxed * company.logistics_compensation_rate / 100.0
        return order.currency_id._convert(
            amount, company.currency_id, company, order.date_order or fields.Date.context_today(self)
        )

    def _compute_access_url(self):
        # portal.mixin's own value is a placeholder ("#"): replaced for all
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.depends("date_received", "first_response_date", "resolution_date", "paused_hours")
    def _compute_handling_hours(self):
        for complaint in self:
            received = complaint.date_received
            complaint.first_response_hours = sla.paused_hours(received, complaint.first_response_date)
            complaint.resolution_hours = (
                max(sla.paused_hours(received, complaint.resolution_date) - complaint.paused_hours, 0.0)
                if complaint.resolution_date
                else 0.0
            )

    @api.depends("commercial_partner_id", "category_id", "date_received", "company_id")
    def _compute_is_repeat(self):
        complaints = self.filtered(
            lambda c: c.id and c.commercial_partner_id and c.category_id and c.date_received and c.company_id
        )
        (self - complaints).is_repeat = False
        if not complaints:
            return
        dates = complaints.mapped("date_received")
        # sudo: the flag is the same whoever looks; only complaints of the
        # same company are compared, and only a boolean comes out
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("company_id", "in", complaints.company_id.ids),
                    ("commercial_partner_id", "in", complaints.commercial_partner_id.ids),
                    ("category_id", "in", complaints.category_id.ids),
                    ("date_received", ">=", min(dates) - timedelta(days=REPEAT_DAYS)),
                    ("date_received", "<=", max(dates)),
                    ("state", "!=", "cancelled"),
                ],
                ["company_id", "commercial_partner_id", "category_id"],
                ["id:array_agg", "date_received:array_agg"],
            )
        )
        earlier = {
            (company.id, partner.id, category.id): list(zip(ids, received, strict=True))
            for company, partner, category, ids, received in groups
        }
        for complaint in complaints:
            key = (complaint.company_id.id, complaint.commercial_partner_id.id, complaint.category_id.id)
            since = complaint.date_received - timedelta(days=REPEAT_DAYS)
            own = (complaint.date_received, complaint.id)
            complaint.is_repeat = any(
                since <= received and (received, other_id) < own for other_id, received in earlier.get(key, ())
            )

    @api.constrains("partner_id", "needs_triage")
    def _check_partner(self):
        for complaint in self:
            if not complaint.partner_id and not complaint.needs_triage:
                raise ValidationError(self.env._("A complaint needs the customer who complains."))

    @api.constrains("compensation_amount", "compensation_kind")
    def _check_compensation_amount(self):
        # finite and within bounds: NaN compares False with everything
        self._logistics_check_stored_numbers()
        for complaint in self:
            if complaint.compensation_amount and not complaint.compensation_kind:
                raise ValidationError(
                    self.env._("Say what kind of compensation %(complaint)s grants.", complaint=complaint.name)
                )

    @api.constrains("summary")
    def _check_summary(self):
        for complaint in self:
            if complaint.summary and len(complaint.summary) > MAX_SUMMARY_LENGTH:
                raise ValidationError(
                    self.env._("A summary is one line: %(max)s characters at most.", max=MAX_SUMMARY_LENGTH)
                )

    @api.constrains("partner_id", "sale_order_id", "picking_id")
    def _check_links(self):
        for complaint in self:
            customer = complaint.commercial_partner_id
            # sudo: compares the customers of the linked documents, which the
            # complaint's handler may not be allowed to open
            order = complaint.sale_order_id.sudo()
            picking = complaint.picking_id.sudo()
            if picking and picking.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "The delivery %(picking)s is not a delivery of %(customer)s.",
                        picking=picking.name,
                        customer=customer.display_name,
                    )
                )
            if order and order.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "The sale order %(order)s is not an order of %(customer)s.",
                        order=order.name,
                        customer=customer.display_name,
                    )
                )
            if picking.sale_id and order and picking.sale_id != order:
                raise ValidationError(
                    self.env._(
                        "The delivery %(picking)s belongs to the order %(delivery_order)s, not to %(order)s.",
                        picking=picking.name,
                        delivery_order=picking.sale_id.name,
                        order=order.name,
                    )
                )

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        for complaint in self.filtered("picking_id"):
            complaint.update(complaint._logistics_values_from_picking(complaint.picking_id))

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        for complaint in self.filtered(lambda c: c.sale_order_id and not c.partner_id):
            complaint.partner_id = complaint.sale_order_id.partner_id

    @api.model
    def _logistics_values_from_picking(self, picking, vals=None):
        """The order and customer a delivery fills in (those not in ``vals``)."""
        vals = vals or {}
        # sudo: the delivery's order and customer, to fill the complaint in
        picking = picking.sudo()
        values = {}
        if picking.sale_id and not vals.get("sale_order_id"):
            values["sale_order_id"] = picking.sale_id.id
        if not vals.get("partner_id"):
            partner = picking.sale_id.partner_id or picking.partner_id
            if partner:
                values["partner_id"] = partner.id
        return values

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        # links given as defaults (a complaint filed from a delivery or an
        # order) fill the complaint in as links given as values do
        defaults = self.default_get(["picking_id", "sale_order_id", "partner_id"])
        for vals in vals_list:
            self._logistics_check_protected(vals)
            links = {**defaults, **vals}
            if links.get("picking_id"):
                picking = self.env["stock.picking"].browse(links["picking_id"])
                vals.update(self._logistics_values_from_picking(picking, links))
            elif links.get("sale_order_id") and not links.get("partner_id"):
                # sudo: the order's customer, to fill the complaint in
                vals["partner_id"] = self.env["sale.order"].browse(links["sale_order_id"]).sudo().partner_id.id
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            # the reference is the sequence's, whatever was sent
            vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                "logistics.complaint"
            ) or self.env._("New")
        complaints = super().create(vals_list)
        # constraints run on the fields given: a missing customer is not one
        complaints._check_partner()
        if not self.env.su and any(complaint.state != "new" for complaint in complaints):
            # a default (context, ir.default) would have set it
            raise AccessError(self.env._("A complaint starts as new; its state changes through its actions."))
        now = fields.Datetime.now()
        for complaint in complaints:
            values = {
                "date_received": now,
                **complaint._logistics_deadline_values(now),
                **complaint._logistics_compensation_values(),
            }
            values["sla_status"] = complaint._logistics_sla_status(now, values)
            values["sla_next_check"] = complaint._logistics_next_check(values)
            complaint._logistics_system_writer().write(values)
        complaints._logistics_notify_customer("logistics_crm.mail_template_complaint_received")
        return complaints

    def write(self, vals):
        self._logistics_check_protected(vals)
        if vals.get("picking_id"):
            vals = dict(vals)
            picking = self.env["stock.picking"].browse(vals["picking_id"])
            vals.update(self._logistics_values_from_picking(picking, {"partner_id": True, **vals}))
        res = super().write(vals)
        if vals.get("partner_id") and not self._logistics_in_system_write():
            self.filtered("needs_triage")._logistics_system_writer().write({"needs_triage": False})
        if COMPENSATION_INPUT_FIELDS & vals.keys() and not self._logistics_in_system_write():
            for complaint in self:
                if values := complaint._logistics_compensation_values():
                    complaint._logistics_system_writer().write(values)
        if DEADLINE_INPUT_FIELDS & vals.keys() and not self._logistics_in_system_write():
            # before the first response, the deadlines follow the customer and severity
            now = fields.Datetime.now()
            for complaint in self.filtered(lambda c: not c.first_response_date and c.state == "new"):
                values = complaint._logistics_deadline_values(complaint.date_received or now)
                complaint._logistics_apply(values, now)
        return res

    def _logistics_check_protected(self, vals):
        """The reference and the state change only through the system."""
        if self.env.su:
            return
        if "state" in vals:
            raise AccessError(self.env._("The state of a complaint changes through its actions only."))
        if "name" in vals and self:
            raise AccessError(self.env._("The reference of a complaint is given by the system."))

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an email: its sender is matched to a partner by
        address; an unknown sender's complaint waits for triage."""
        # a public method: whoever calls it must be allowed to file complaints,
        # and sets none of the system's fields (the alias defaults included)
        self.check_access("create")
        protected = self._logistics_guarded_fields() | {"state", "name"}
        values = {fname: value for fname, value in (custom_values or {}).items() if fname not in protected}
        email = msg_dict.get("email_from")
        partners = self._mail_find_partner_from_emails([email]) if email else []
        partner = partners[0] if partners else self.env["res.partner"]
        # sudo: whether the sender is one of our users; their mail (a
        # customer's forwarded) is no customer's and waits for triage too
        if partner.sudo().user_ids.filtered(lambda user: not user.share):
            partner = self.env["res.partner"]
        values.setdefault("channel", "email")
        values.setdefault("summary", (msg_dict.get("subject") or "")[:MAX_SUMMARY_LENGTH])
        values.setdefault("description", msg_dict.get("body"))
        if partner:
            values.setdefault("partner_id", partner.id)
        Complaint = self
        if not values.get("partner_id"):
            values["needs_triage"] = True
            # the system's own flag (the rest of the values are those of any
            # create): nobody sets it by hand
            Complaint = self._logistics_system_writer()
        return super(LogisticsComplaint, Complaint).message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        """A message to the customer (not an internal note) by staff is the
        first response when none was recorded; a message of the customer
        resumes a complaint waiting for them."""
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type not in ("comment", "email") or message.subtype_id != self.env.ref("mail.mt_comment"):
            return res
        now = fields.Datetime.now()
        author = message.author_id
        # sudo: whether the author is one of the company's users, not the customer
        staff = author and author.sudo().user_ids.filtered(lambda user: not user.share)
        for complaint in self:
            if complaint.state in ("cancelled", "resolved", "closed"):
                continue
            if staff and author.commercial_partner_id != complaint.commercial_partner_id:
                # without a customer (to triage: a mail our user forwarded)
                # there is nobody to respond to yet
                if not complaint.first_response_date and complaint.partner_id:
                    complaint._logistics_apply({"first_response_date": now}, now)
            elif complaint.state == "waiting_customer" and (
                author.commercial_partner_id == complaint.commercial_partner_id
            ):
                values = {"state": "in_progress", **complaint._logistics_resume_values(now)}
                complaint._logistics_apply(values, now)
        return res

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_acknowledge(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_acknowledge")
        for complaint in self:
            values = {"state": "acknowledged"}
            if not complaint.first_response_date:
                values["first_response_date"] = now
            complaint._logistics_apply(values, now)
        return True

    def action_start(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_start")
        for complaint in self:
            values = {"state": "in_progress"}
            if complaint.state == "waiting_customer":
                values.update(complaint._logistics_resume_values(now))
            complaint._logistics_apply(values, now)
        return True

    def action_wait(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_wait")
        for complaint in self:
            complaint._logistics_apply({"state": "waiting_customer", "waiting_since": now}, now)
        return True

    def action_resolve(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_resolve")
        for complaint in self:
            missing = []
            if not complaint.cause_id:
                missing.append(self.env._("the root cause"))
            if not complaint.liable_party:
                missing.append(self.env._("the liable party"))
            if not has_visible_text(html2plaintext(complaint.corrective_action or "")):
                missing.append(self.env._("the corrective action taken"))
            if complaint.compensation_state == "to_approve":
                raise UserError(
                    self.env._(
                        "The compensation of %(complaint)s waits for a manager's approval: "
                        "it cannot be resolved meanwhile.",
                        complaint=complaint.name,
                    )
                )
            if missing:
                raise UserError(
                    self.env._(
                        "Before resolving %(complaint)s, enter %(missing)s.",
                        complaint=complaint.name,
                        missing=format_list(self.env, missing),
                    )
                )
            complaint._logistics_apply({"state": "resolved", "resolution_date": now}, now)
        self._logistics_credit_compensation_points()
        self._logistics_notify_customer("logistics_crm.mail_template_complaint_resolved")
        return True

    def _logistics_credit_compensation_points(self):
        """Credit the loyalty cards of the customers of these resolved
        complaints whose compensation, granted or approved, is paid in
        loyalty points: the amount (the approved one when a manager approved
        it) divided by the value of a point of the company's programme,
        rounded down, once per complaint (the entries of the complaints
        credited already are left out, and a unique index refuses a second
        one: reopening and resolving again credits nothing more)."""
        complaints = self.sudo().filtered(
            lambda c: (
                c.compensation_kind == "loyalty_points"
                and c.compensation_state in ("granted", "approved")
                and c.company_id.logistics_loyalty_program_id
            )
        )
        if not complaints:
            return
        History = self.env["loyalty.history"].sudo()
        Card = self.env["loyalty.card"]
        credited = set(
            History.search(
                [("logistics_kind", "=", "compensation"), ("logistics_complaint_id", "in", complaints.ids)]
            ).logistics_complaint_id.ids
        )
        vals_list = []
        for company, company_complaints in complaints.grouped("company_id").items():
            point_value = company.logistics_loyalty_program_id.reward_ids[:1].discount or 0.1
            todo = company_complaints.filtered(lambda c: c.id not in credited)
            if not todo:
                continue
            cards = Card._logistics_cards(todo.partner_id, company)
            for complaint in todo:
                amount = (
                    complaint.compensation_approved_amount
                    if complaint.compensation_state == "approved"
                    else complaint.compensation_amount
                )
                points = math.floor(float_round(amount / point_value, precision_digits=6))
                if points <= 0:
                    continue
                vals_list.append(
                    {
                        "card_id": cards[complaint.partner_id.id].id,
                        "logistics_kind": "compensation",
                        "logistics_complaint_id": complaint.id,
                        "issued": points,
                        "used": 0.0,
                        "description": self.env._("Compensation for complaint %(complaint)s", complaint=complaint.name),
                    }
                )
        if vals_list:
            Card._logistics_post(vals_list)

    def action_close(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_close")
        for complaint in self:
            complaint._logistics_apply({"state": "closed"}, now)
        self._logistics_request_rating()
        return True

    def action_reopen(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_reopen")
        for complaint in self:
            complaint._logistics_apply(
                {"state": "in_progress", "resolution_date": False, "reopen_count": complaint.reopen_count + 1},
                now,
            )
        return True

    def action_cancel(self):
        now = fields.Datetime.now()
        self._logistics_transition("action_cancel")
        for complaint in self:
            values = {"state": "cancelled"}
            if complaint.state == "waiting_customer":
                values.update(complaint._logistics_resume_values(now))
            complaint._logistics_apply(values, now)
        return True

    def action_approve_compensation(self):
        self._logistics_check_compensation_decision()
        for complaint in self:
            complaint._logistics_system_writer().write(
                {"compensation_state": "approved", "compensation_approved_amount": complaint.compensation_amount}
            )
        return True

    def action_refuse_compensation(self):
        self._logistics_check_compensation_decision()
        self._logistics_system_writer().write({"compensation_state": "refused"})
        return True

    # ------------------------------------------------------------------
    # business methods
    # ------------------------------------------------------------------

    def _logistics_check_compensation_decision(self):
        """Only managers decide on compensation above the discretion, and only
        on compensation waiting for it."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only managers approve or refuse compensation above the discretion."))
        self.check_access("write")
        for complaint in self:
            if complaint.compensation_state != "to_approve":
                raise UserError(
                    self.env._(
                        "The compensation of %(complaint)s does not wait for approval.", complaint=complaint.name
                    )
                )

    def _logistics_compensation_values(self):
        """The state of the compensation after a change of its amount or of
        what bounds it: within the discretion granted, above it to approve;
        an approved amount stays approved unless raised."""
        self.ensure_one()
        amount = self.compensation_amount
        if not amount:
            state, approved = "none", 0.0
        elif self.compensation_state == "approved" and amount <= self.compensation_approved_amount:
            state, approved = "approved", self.compensation_approved_amount
        elif self.currency_id.compare_amounts(amount, self._logistics_compensation_limit()) <= 0:
            state, approved = "granted", 0.0
        else:
            state, approved = "to_approve", 0.0
        values = {"compensation_state": state, "compensation_approved_amount": approved}
        return {fname: value for fname, value in values.items() if self[fname] != value}

    def _logistics_notify_customer(self, template_xmlid):
        """Mail the customers of these complaints (those with an address) with
        the template; an automatic notice, not a response of the staff."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for complaint in self.filtered(lambda c: c.partner_id.email):
            # from the company when it has an address (else from the user at
            # work), not from the mail gateway or the customer who filed the
            # complaint; the customer is mailed even when they are that user
            company_partner = complaint.company_id.partner_id
            sender = (
                {"author_id": company_partner.id, "email_from": company_partner.email_formatted}
                if company_partner.email
                else {}
            )
            # sudo: the template and the customer's address are the system's
            # to use, whoever triggers the notice
            complaint.sudo().with_context(mail_notify_author=True).message_post_with_source(
                template.sudo(), message_type="auto_comment", subtype_xmlid="mail.mt_comment", **sender
            )

    def _logistics_request_rating(self):
        """Ask the customers of these closed complaints how their complaint
        was handled (Odoo's rating request)."""
        template = self.env.ref("logistics_crm.mail_template_complaint_rating", raise_if_not_found=False)
        if not template:
            return
        for complaint in self.filtered(lambda c: c.partner_id.email):
            # sudo: the rating request is the system's, whoever closes
            complaint.sudo().rating_send_request(template.sudo(), lang=complaint.partner_id.lang, force_send=False)

    def _logistics_transition(self, action):
        """Check that the user may act on these complaints and that each is
        in a state ``action`` starts from."""
        self.check_access("write")
        sources, target = TRANSITIONS[action]
        states = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            if complaint.state not in sources:
                raise UserError(
                    self.env._(
                        "%(complaint)s is %(state)s: it can become %(target)s only when %(sources)s.",
                        complaint=complaint.name,
                        state=states[complaint.state],
                        target=states[target],
                        sources=format_list(self.env, [states[state] for state in sources], style="or"),
                    )
                )

    def _logistics_apply(self, values, now):
        """Write ``values`` (state and clock) as the system, with the SLA
        status they lead to."""
        self.ensure_one()
        status = self._logistics_sla_status(now, values)
        if status != self.sla_status:
            values["sla_status"] = status
        next_check = self._logistics_next_check(values)
        if next_check != self.sla_next_check:
            values["sla_next_check"] = next_check
        if values:
            self._logistics_system_writer().write(values)

    def _logistics_calendar(self):
        self.ensure_one()
        return self.company_id.logistics_complaint_calendar_id

    def _logistics_service_level(self):
        """The service level of the customer's grade in the complaint's
        company (the lowest grade's for a customer without grade)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        # sudo: the grade and service levels are configuration that sets the
        # deadlines, whoever files the complaint
        levels = self.env["logistics.service.level"].sudo()._get_levels_by_grade(company)
        grade = self.commercial_partner_id.sudo().with_company(company).logistics_grade
        return levels.get(grade) or levels.get(FALLBACK_GRADE) or self.env["logistics.service.level"]

    def _logistics_deadline(self, start, hours):
        """The deadline ``hours`` after ``start``, in the working time of the
        company's complaint calendar, else round the clock."""
        self.ensure_one()
        if not hours:
            return False
        calendar = self._logistics_calendar()
        if calendar:
            return calendar.plan_hours(hours, start, compute_leaves=True) or False
        return sla.plain_deadline(start, hours)

    def _logistics_deadline_values(self, start):
        """The deadlines of the complaint received at ``start``, from its
        customer's service level and its severity (moved by the time paused)."""
        self.ensure_one()
        level = self._logistics_service_level()
        values = {}
        for fname, hours in (
            ("first_response_deadline", level.first_response_hours),
            ("resolution_deadline", level.resolution_hours),
        ):
            deadline = self._logistics_deadline(start, sla.target_hours(hours, self.severity))
            values[fname] = self._logistics_shift(deadline, self.paused_hours)
        return values

    def _logistics_shift(self, deadline, hours):
        calendar = self._logistics_calendar()
        plan = (lambda h, start: calendar.plan_hours(h, start, compute_leaves=True)) if calendar else None
        return sla.shift_deadline(deadline, hours, plan) or False

    def _logistics_resume_values(self, now):
        """What resuming after waiting for the customer writes: the time
        paused added up, the open deadlines moved by it."""
        self.ensure_one()
        if not self.waiting_since:
            return {"waiting_since": False}
        calendar = self._logistics_calendar()
        if calendar:
            hours = calendar.get_work_hours_count(self.waiting_since, now, compute_leaves=True)
        else:
            hours = sla.paused_hours(self.waiting_since, now)
        values = {"waiting_since": False, "paused_hours": self.paused_hours + hours}
        if not self.first_response_date:
            values["first_response_deadline"] = self._logistics_shift(self.first_response_deadline, hours)
        if not self.resolution_date:
            values["resolution_deadline"] = self._logistics_shift(self.resolution_deadline, hours)
        return values

    def _logistics_sla_status(self, now, values=None):
        """The SLA status at ``now`` with ``values`` about to be written (a
        breach stays a breach; the clock stops while waiting for the customer
        and once cancelled)."""
        self.ensure_one()
        values = values or {}

        def get(fname):
            return values[fname] if fname in values else self[fname]

        if self.sla_status == sla.BREACHED:
            return sla.BREACHED
        state = get("state")
        if state == "cancelled":
            return self.sla_status or sla.ON_TRACK
        if state == "waiting_customer":
            now = get("waiting_since") or now
        start = get("date_received") or now
        statuses = [
            sla.deadline_status(now, start, get("first_response_deadline"), get("first_response_date")),
            sla.deadline_status(now, start, get("resolution_deadline"), get("resolution_date")),
        ]
        return sla.combined_status(*statuses)

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------

    def _logistics_pending_deadline(self, values=None):
        """The deadline the clock runs against (first response, then
        resolution), or False when it stands still or nothing is due."""
        self.ensure_one()
        values = values or {}

        def get(fname):
            return values[fname] if fname in values else self[fname]

        if get("state") not in RUNNING_STATES:
            return False
        if not get("first_response_date") and get("first_response_deadline"):
            return get("first_response_deadline")
        if not get("resolution_date"):
            return get("resolution_deadline")
        return False

    def _logistics_next_check(self, values=None):
        """When the escalation must look at the complaint again: the instant
        its pending deadline gets at risk, then the deadline itself, unless
        escalated already for that deadline; False when nothing is to come."""
        self.ensure_one()
        values = values or {}
        deadline = self._logistics_pending_deadline(values)
        if not deadline:
            return False
        risk_done = values.get("risk_escalated_deadline", self.risk_escalated_deadline)
        breach_done = values.get("breach_escalated_deadline", self.breach_escalated_deadline)
        if risk_done != deadline:
            return sla.risk_instant(values.get("date_received") or self.date_received, deadline)
        if breach_done != deadline:
            return deadline
        return False

    @api.model
    def _cron_escalate(self, batch_size=500):
        """Escalate the complaints whose pending deadline got at risk (an
        activity for the owner) or passed (an activity, a mail and a follow
        for the escalation user or the company's supervisors), once per
        complaint and deadline, one batch per call; the SLA status is brought
        up to date on the way. :meth:`_notify_progress` reports what remains.

        A batch runs a constant number of queries, whatever its size: see
        :meth:`_logistics_escalate_batch`."""
        now = fields.Datetime.now()
        # sudo: the scheduled escalation covers the complaints of every company
        Complaint = self.sudo()
        domain = [("state", "in", RUNNING_STATES), ("sla_next_check", "<", now)]
        complaints = Complaint.search(domain, order="sla_next_check, id", limit=batch_size)
        complaints._logistics_escalate_batch(now)
        remaining = Complaint.search_count(domain) if len(complaints) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _logistics_escalate_batch(self, now):
        """Escalate these complaints together: one creation of all their
        activities, one follow and one mail per group of escalation users
        (the escalation user or supervisors of a company), one batched log
        of the breaches in the chatters, and the SLA status and escalation
        markers written grouped by value (which the ORM flushes in one
        UPDATE). The number of queries depends on the number of companies
        and owners in the batch, never on the number of complaints."""
        if not self:
            return
        risks = {}  # complaint: deadline
        breaches = {}  # complaint: deadline
        values_of = {}
        for complaint in self:
            deadline = complaint._logistics_pending_deadline()
            values = {}
            if deadline and now > deadline and complaint.breach_escalated_deadline != deadline:
                breaches[complaint] = deadline
                values.update(risk_escalated_deadline=deadline, breach_escalated_deadline=deadline)
            elif (
                deadline
                and complaint.risk_escalated_deadline != deadline
                and now > sla.risk_instant(complaint.date_received, deadline)
            ):
                risks[complaint] = deadline
                values["risk_escalated_deadline"] = deadline
            values_of[complaint] = values
        plans = self._logistics_risk_activity_plans(risks)
        breach_groups = self._logistics_breach_groups(breaches)
        for users, complaints in breach_groups:
            plans += complaints._logistics_breach_activity_plans(users, breaches)
        # the supervisors get the mail below, not one per activity
        self.env["mail.activity"]._logistics_schedule(self.env.ref("mail.mail_activity_data_todo"), plans)
        for users, complaints in breach_groups:
            complaints._logistics_notify_breach(users, breaches)
        self._logistics_apply_batch(values_of, now)

    def _logistics_risk_activity_plans(self, risks):
        """The to-dos (``(complaint, values)``) for the owners of complaints
        whose deadline is near."""
        summary = self.env._("Complaint deadline at risk")
        return [
            (
                complaint,
                {
                    "user_id": complaint.user_id.id,
                    "date_deadline": fields.Date.context_today(complaint, deadline),
                    "summary": summary,
                    "note": self.env._(
                        "%(complaint)s must be answered by %(deadline)s (UTC).",
                        complaint=complaint.name,
                        deadline=fields.Datetime.to_string(deadline),
                    ),
                },
            )
            for complaint, deadline in risks.items()
            if complaint.user_id
        ]

    def _logistics_breach_note(self, deadline):
        self.ensure_one()
        return self.env._(
            "%(complaint)s of %(customer)s missed its deadline of %(deadline)s (UTC).",
            complaint=self.name,
            customer=self.commercial_partner_id.display_name,
            deadline=fields.Datetime.to_string(deadline),
        )

    @api.model
    def _logistics_breach_groups(self, breaches):
        """``[(users, complaints)]``: the breached complaints by whoever is
        called in (the escalation users are looked up once per company)."""
        users_of_company = {}
        groups = {}
        for complaint in breaches:
            company = complaint.company_id
            if company not in users_of_company:
                users_of_company[company] = complaint._logistics_escalation_users()
            users = users_of_company[company]
            if users:
                groups.setdefault(users, self.browse())
                groups[users] |= complaint
        return list(groups.items())

    def _logistics_breach_activity_plans(self, users, breaches):
        """The to-dos (``(complaint, values)``) for ``users`` called in on
        these breached complaints."""
        summary = self.env._("Complaint deadline missed")
        return [
            (
                complaint,
                {
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(complaint),
                    "summary": summary,
                    "note": complaint._logistics_breach_note(breaches[complaint]),
                },
            )
            for complaint in self
            for user in users
        ]

    def _logistics_notify_breach(self, users, breaches):
        """Follow, note and mail for ``users`` called in on these breached
        complaints: one follow of the recordset, one batched log (a note per
        complaint naming them) and one mail listing the complaints."""
        summary = self.env._("Complaint deadline missed")
        partners = users.partner_id
        self.message_subscribe(partner_ids=partners.ids)
        notes = {complaint.id: complaint._logistics_breach_note(breaches[complaint]) for complaint in self}
        self._message_log_batch(
            bodies={res_id: Markup("<p>%s</p>") % note for res_id, note in notes.items()},
            subject=summary,
            partner_ids=partners.ids,
        )
        recipients = partners.filtered("email")
        if not recipients:
            return
        base_url = self[:1].get_base_url()
        items = Markup("").join(
            Markup('<li><a href="%s/odoo/%s/%s">%s</a></li>')
            % (base_url, self._name, complaint.id, notes[complaint.id])
            for complaint in self
        )
        company = self[:1].company_id
        # sudo: the system mails the people called in
        self.env["mail.mail"].sudo().create(
            {
                "subject": self.env._("%(count)s complaint(s) missed their deadline", count=len(self)),
                "body_html": Markup("<p>%s</p><ul>%s</ul>") % (summary, items),
                "email_from": company.email_formatted or self.env.user.email_formatted,
                "recipient_ids": [Command.set(recipients.ids)],
                "auto_delete": True,
            }
        )

    def _logistics_apply_batch(self, values_of, now):
        """:meth:`_logistics_apply` for a batch: ``values_of`` maps each
        complaint to the values to write; the writes are grouped by value.

        The SLA status is not tracked here: tracking posts one chatter
        message per complaint (queries growing with the batch), while the
        escalation itself leaves its trace (an activity when at risk, a note
        naming who is called in when breached) and the status is stored,
        searchable and groupable."""
        groups = {}
        for complaint, values in values_of.items():
            values = dict(values)
            status = complaint._logistics_sla_status(now, values)
            if status != complaint.sla_status:
                values["sla_status"] = status
            next_check = complaint._logistics_next_check(values)
            if next_check != complaint.sla_next_check:
                values["sla_next_check"] = next_check
            if values:
                key = tuple(sorted(values.items()))
                groups.setdefault(key, []).append(complaint.id)
        writer = self.with_context(mail_notrack=True)._logistics_system_writer()
        for key, ids in groups.items():
            writer.browse(ids).write(dict(key))

    def _logistics_escalation_users(self):
        """The escalation user of the company, else its supervisors."""
        self.ensure_one()
        user = self.company_id.logistics_complaint_escalation_user_id
        if user:
            return user
        group = self.env.ref("logistics_crm.group_logistics_crm_supervisor")
        return group.users.filtered(
            lambda u: (
                u.active
                and not u.share
                and self.company_id in u.company_ids
                and u.id != self.env.ref("base.user_root").id
            )
        )

    # ------------------------------------------------------------------
    # counts and views for the documents complaints are about
    # ------------------------------------------------------------------

    @api.model
    def _logistics_counts(self, fname, ids):
        """``{id: (complaints, open complaints)}`` of the records ``ids``
        that ``fname`` points to, as the current user sees them (one query)."""
        counts = dict.fromkeys(ids, (0, 0))
        if not ids:
            return counts
        for record, state, count in self._read_group([(fname, "in", list(ids))], [fname, "state"], ["__count"]):
            total, open_count = counts[record.id]
            counts[record.id] = (total + count, open_count + (count if state in OPEN_STATES else 0))
        return counts

    @api.model
    def _logistics_customer_open_counts(self, documents):
        """``{id: open complaints of its customer}`` of ``documents`` (sale
        orders, deliveries: records with a ``partner_id``), as the current
        user sees them (one query)."""
        counts = self._logistics_counts("commercial_partner_id", set(documents.partner_id.commercial_partner_id.ids))
        return {
            document.id: counts.get(document.partner_id.commercial_partner_id.id, (0, 0))[1] for document in documents
        }

    @api.model
    def _logistics_action_for(self, domain, context):
        """The complaints of ``domain``, new ones filled in from ``context``."""
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.logistics_complaint_action")
        action["domain"] = domain
        action["context"] = {**context, "search_default_open": 0}
        return action

    # ------------------------------------------------------------------
    # demo data
    # ------------------------------------------------------------------

    @api.model
    def _logistics_demo_timeline(self, timelines):
        """Demo data only (``demo/logistics_complaint_demo.xml``; the module
        itself never calls this): move the demo complaints into the past year.

        The demo complaints go through their real workflow at install time
        (filed and moved on by the demo users' own actions), so their SLA
        clock reads the instant of the install. ``timelines`` maps the xmlid
        of a complaint to its story: ``received`` (days ago), then the hours
        after receipt of the ``response`` (first response), ``waiting``
        (waits for the customer since), ``resolved`` and ``ended`` (closed
        or cancelled), each optional; and
        ``rating``, ``(value, feedback)`` the customer gave a day after the
        closing (Odoo's rating API).

        The system writes them, as it writes its clock everywhere else
        (``_logistics_system_writer``; nothing opens the guarded fields to
        users): the dates, the deadlines of the customer's service level
        counted from the receipt, the SLA status from these dates (as of now,
        as of the cancellation for a cancelled complaint, as of the start of
        the wait for one waiting), and the escalations of the deadlines
        already past marked as done (no escalation mail about a year of
        demo). The notice of the creation is dated with the receipt, the
        rating (its message and submission) a day after the closing, and
        nobody is mailed about these past events."""
        now = fields.Datetime.now()
        steps = ("response", "waiting", "resolved", "ended")
        complaints = self.browse()
        for xmlid, timeline in timelines.items():
            complaint = self.env.ref(xmlid).with_context(mail_notrack=True)._logistics_system_writer()
            complaints |= complaint
            received = now - timedelta(days=timeline["received"])
            dates = {key: received + timedelta(hours=hours) for key, hours in timeline.items() if key in steps}
            if max(dates.values(), default=received) > now:
                raise ValueError(f"{xmlid}: a step of the demo timeline is in the future")
            complaint.write(
                {
                    "date_received": received,
                    "first_response_date": dates.get("response", False),
                    "resolution_date": dates.get("resolved", False),
                    "waiting_since": dates.get("waiting", False) if complaint.state == "waiting_customer" else False,
                    "risk_escalated_deadline": False,
                    "breach_escalated_deadline": False,
                }
            )
            values = complaint._logistics_deadline_values(received)
            # from scratch: a breach of the install's instant is not the story's
            until = {"cancelled": dates.get("ended"), "waiting_customer": dates.get("waiting")}.get(complaint.state)
            until = until or now
            values["sla_status"] = sla.combined_status(
                sla.deadline_status(until, received, values["first_response_deadline"], complaint.first_response_date),
                sla.deadline_status(until, received, values["resolution_deadline"], complaint.resolution_date),
            )
            deadline = complaint._logistics_pending_deadline(values)
            if deadline and now > sla.risk_instant(received, deadline):
                values["risk_escalated_deadline"] = deadline
                if now > deadline:
                    values["breach_escalated_deadline"] = deadline
            values["sla_next_check"] = complaint._logistics_next_check(values)
            complaint.write(values)
            # the notice of its creation (the workflow of a complaint created
            # in the same transaction is not tracked in its chatter)
            complaint.message_ids.date = received
            if "rating" in timeline:
                value, feedback = timeline["rating"]
                token = complaint._rating_get_access_token()
                rating = complaint.with_context(mail_notify_force_send=False).rating_apply(
                    value, token=token, feedback=feedback
                )
                rated = min(dates.get("ended", received) + timedelta(days=1), now)
                message = rating.message_id
                message.date = rated
                # a rating of months ago: nobody is mailed about it now
                message.notification_ids.mail_mail_id.unlink()
                message.notification_ids.unlink()
                # the submission's date, a magic column the ORM does not write
                self.env.cr.execute(
                    SQL(
                        "UPDATE rating_rating SET create_date = %s, write_date = %s WHERE id = %s",
                        rated,
                        rated,
                        rating.id,
                    )
                )
                rating.invalidate_recordset(["create_date", "write_date"])
        # the repeat flags compare the complaints with each other: all dated now
        self.env.add_to_compute(self._fields["is_repeat"], complaints)
        return True
