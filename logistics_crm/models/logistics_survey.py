"""Customer satisfaction surveys after delivery.

The questionnaire is one of Odoo's surveys (``survey.survey``): each
invitation is a ``survey.user_input`` of it, with its unguessable access
token, answered once, with a deadline. A ``logistics.survey`` records the
logistics side: the customer, the delivery and order, the state of the
invitation and the scores, set by the system when Odoo marks the answer done.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import satisfaction
from .selections import (
    GRADE_SELECTION,
    NPS_CATEGORY_SELECTION,
    SURVEY_STATE_SELECTION,
)

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
SUPERVISOR = "logistics_crm.group_logistics_crm_supervisor"
# {dimension of a question: field of logistics.survey it fills}
DIMENSION_FIELDS = {
    "overall": "csat_score",
    "timeliness": "score_timeliness",
    "condition": "score_condition",
    "accuracy": "score_accuracy",
    "attitude": "score_attitude",
    "price": "score_price",
    "communication": "score_communication",
    "recommend": "nps_score",
    "comment": "comment",
}
# the satisfaction scores (1-5)
SCORE_FIELDS = tuple(fname for dim, fname in DIMENSION_FIELDS.items() if dim not in ("recommend", "comment"))
# what only the system writes: the invitation and the answers
SYSTEM_FIELDS = frozenset(
    {
        "partner_id",
        "contact_id",
        "picking_id",
        "sale_order_id",
        "user_input_id",
        "survey_id",
        "company_id",
        "state",
        "customer_grade",
        "scheduled_date",
        "sent_date",
        "answered_date",
        "deadline",
        "nps_score",
        "nps_category",
        "csat_percent",
        "nps_value",
        "csat_target",
        "is_low",
        "comment",
        *SCORE_FIELDS,
    }
)
OPEN_STATES = ("scheduled", "sent")
# invitations that count against the throttle of a customer
THROTTLE_STATES = ("scheduled", "sent", "answered", "expired")


class LogisticsSurvey(models.Model):
    _name = "logistics.survey"
    _inherit = ["mail.thread", "mail.activity.mixin", "logistics.guarded.mixin"]
    _description = "Customer Satisfaction Survey"
    _order = "sent_date desc, id desc"
    _check_company_auto = True
    _logistics_system_fields = SYSTEM_FIELDS

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
        help="The commercial customer surveyed.",
    )
    contact_id = fields.Many2one(
        "res.partner", string="Contact", readonly=True, check_company=True, help="Who received the invitation."
    )
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True, index="btree_not_null")
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True, index="btree_not_null")
    survey_id = fields.Many2one("survey.survey", string="Questionnaire", readonly=True)
    user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Answer", readonly=True, index="btree_not_null", copy=False
    )
    state = fields.Selection(
        SURVEY_STATE_SELECTION, default="scheduled", required=True, readonly=True, index=True, tracking=True
    )
    customer_grade = fields.Selection(
        GRADE_SELECTION,
        string="Grade",
        readonly=True,
        index=True,
        groups=SPECIALIST,
        help="The customer's grade in the company when the survey was created.",
    )
    region_tier = fields.Selection(related="partner_id.logistics_region_tier", string="Region Tier", store=True)
    scheduled_date = fields.Datetime(readonly=True, help="When the invitation is to be sent.")
    sent_date = fields.Datetime(string="Sent On", readonly=True, index=True)
    deadline = fields.Datetime(readonly=True, help="The link works until then.")
    answered_date = fields.Datetime(string="Answered On", readonly=True, index=True)
    survey_url = fields.Char(string="Survey Link", compute="_compute_survey_url")
    nps_score = fields.Integer(string="Likelihood to Recommend", readonly=True, aggregator="avg")
    nps_category = fields.Selection(NPS_CATEGORY_SELECTION, string="NPS Category", readonly=True, index=True)
    csat_score = fields.Integer(string="Overall Satisfaction", readonly=True, aggregator="avg")
    score_timeliness = fields.Integer(string="Timeliness", readonly=True, aggregator="avg")
    score_condition = fields.Integer(string="Cargo Condition", readonly=True, aggregator="avg")
    score_accuracy = fields.Integer(string="Delivery Accuracy", readonly=True, aggregator="avg")
    score_attitude = fields.Integer(string="Staff Attitude", readonly=True, aggregator="avg")
    score_price = fields.Integer(string="Price", readonly=True, aggregator="avg")
    score_communication = fields.Integer(string="Communication", readonly=True, aggregator="avg")
    comment = fields.Text(readonly=True)
    # measures of the reports, averaged over answered surveys
    csat_percent = fields.Float(
        string="CSAT (%)",
        readonly=True,
        aggregator="avg",
        help="100 for an overall satisfaction of 4 or 5, else 0: its average over answered surveys is the CSAT.",
    )
    nps_value = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="100 for a promoter, 0 for a passive, -100 for a detractor: its average is the NPS.",
    )
    csat_target = fields.Float(
        string="CSAT Target (%)", readonly=True, aggregator="avg", help="The company's CSAT target when answered."
    )
    is_low = fields.Boolean(
        string="Low Answer", readonly=True, index=True, help="A detractor, or a dimension scored 1 or 2."
    )
    complaint_ids = fields.One2many("logistics.complaint", "survey_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    _sql_constraints = [
        ("picking_unique", "UNIQUE(picking_id)", "A delivery is surveyed once."),
        ("user_input_unique", "UNIQUE(user_input_id)", "A survey answer belongs to one survey."),
    ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("partner_id", "picking_id", "sale_order_id")
    def _compute_display_name(self):
        for survey in self:
            document = survey.picking_id or survey.sale_order_id
            survey.display_name = (
                f"{survey.partner_id.display_name} - {document.display_name}"
                if document
                else survey.partner_id.display_name or ""
            )

    @api.depends("user_input_id.access_token")
    def _compute_survey_url(self):
        for survey in self:
            # sudo: the link of the survey's own answer (its token), which the
            # readers of the survey (staff, the customer's portal users) may see
            answer = survey.user_input_id.sudo()
            survey.survey_url = f"{answer.get_base_url()}{answer.get_start_url()}" if answer else False

    def _compute_complaint_count(self):
        counts = dict(
            self.env["logistics.complaint"]._read_group([("survey_id", "in", self.ids)], ["survey_id"], ["__count"])
        )
        for survey in self:
            survey.complaint_count = counts.get(survey, 0)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Cancel invitations not answered yet: their link stops working."""
        if not self.env.user.has_group(SUPERVISOR):
            raise AccessError(self.env._("Only Logistics CRM supervisors can cancel survey invitations."))
        self.check_access("read")
        surveys = self.filtered(lambda s: s.state in OPEN_STATES)
        if surveys != self:
            raise UserError(self.env._("Only scheduled or sent invitations can be cancelled."))
        surveys._logistics_close("cancelled")
        return True

    def action_create_complaint(self):
        """A complaint prefilled from this survey, opened in its form."""
        self.ensure_one()
        self.check_access("read")
        if self.state != "answered":
            raise UserError(self.env._("Only an answered survey can lead to a complaint."))
        description = self.env._(
            "Satisfaction survey answered on %(date)s: overall %(overall)s/5, recommendation %(nps)s/10.",
            date=fields.Datetime.to_string(self.answered_date),
            overall=self.csat_score,
            nps=self.nps_score,
        )
        if self.comment:
            description = f"{description}\n{self.comment}"
        complaint = self.env["logistics.complaint"].create(
            {
                "partner_id": (
                    self.contact_id if self.contact_id.commercial_partner_id == self.partner_id else self.partner_id
                ).id,
                "company_id": self.company_id.id,
                "picking_id": self.picking_id.id,
                "sale_order_id": self.sale_order_id.id,
                "channel": "survey",
                "summary": self.env._("Low satisfaction survey: %(survey)s", survey=self.display_name),
                "description": description.replace("\n", "<br/>"),
                "survey_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["logistics.complaint"]._logistics_action_for([("survey_id", "=", self.id)], {})

    def action_open_answer(self):
        """Odoo's survey answer (managers, with the Survey app's rights)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # sending
    # ------------------------------------------------------------------

    @api.model
    def _logistics_contact(self, partner):
        """Who receives the invitation: ``partner`` when it has an email,
        else its commercial customer; nobody without an email."""
        for candidate in (partner, partner.commercial_partner_id):
            if candidate.email:
                return candidate
        return partner.browse()

    @api.model
    def _logistics_surveyed_pickings(self, pickings):
        """The deliveries among ``pickings`` already surveyed, themselves or
        the delivery they are the backorder of (one search)."""
        origins = {picking: picking | picking.backorder_id for picking in pickings}
        # sudo: whether a delivery was surveyed, whoever validates it
        done = (
            self.sudo()
            .with_context(active_test=False)
            .search([("picking_id", "in", (pickings | pickings.backorder_id).ids)])
        )
        surveyed = set(done.picking_id.ids)
        return pickings.filtered(lambda p: surveyed & set(origins[p].ids))

    @api.model
    def _logistics_throttled_customers(self, customers, companies):
        """{(company id, customer id)} of ``customers`` invited in their
        company within its throttle (one query)."""
        if not customers:
            return set()
        longest = max(companies.mapped("logistics_survey_throttle_days") or [0])
        if not longest:
            return set()
        now = fields.Datetime.now()
        # sudo: the throttle counts every invitation of the customer
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("partner_id", "in", customers.ids),
                    ("company_id", "in", companies.ids),
                    ("state", "in", THROTTLE_STATES),
                    ("scheduled_date", ">=", now - timedelta(days=longest)),
                ],
                ["company_id", "partner_id"],
                ["scheduled_date:max"],
            )
        )
        return {
            (company.id, partner.id)
            for company, partner, last in groups
            if last >= now - timedelta(days=company.logistics_survey_throttle_days)
        }

    @api.model
    def _logistics_grades(self, customers, companies):
        """{(company id, customer id): grade} (one read per company)."""
        grades = {}
        for company in companies:
            # sudo: the grade decides whether to survey, whoever validates the delivery
            for customer in customers.sudo().with_company(company):
                grades[company.id, customer.id] = customer.logistics_grade or False
        return grades

    @api.model
    def _logistics_create_for_pickings(self, pickings):
        """Create the invitations for the validated deliveries ``pickings``
        that the companies' rules select: done outgoing deliveries of a
        customer, not a return, not a delivery (or the backorder of one)
        surveyed already, in the sample, of a grade surveyed, and of a
        customer not invited within the throttle. Sent at once, or scheduled
        after the company's delay. A fixed number of queries per batch."""
        pickings = pickings.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and not p.return_id
                and p.partner_id
                and p.company_id.logistics_survey_enabled
                and p.company_id.logistics_survey_id
            )
        )
        pickings = pickings.filtered(lambda p: satisfaction.in_sample(p.id, p.company_id.logistics_survey_sample_rate))
        pickings -= self._logistics_surveyed_pickings(pickings)
        if not pickings:
            return self.browse()
        companies = pickings.company_id
        customers = pickings.partner_id.commercial_partner_id
        throttled = self._logistics_throttled_customers(customers, companies)
        grades = self._logistics_grades(customers, companies)
        vals_list = []
        seen = set()
        for picking in pickings.sorted("id"):
            company = picking.company_id
            customer = picking.partner_id.commercial_partner_id
            key = (company.id, customer.id)
            if key in throttled or key in seen:
                continue
            if not company._logistics_survey_grade_selected(grades.get(key)):
                continue
            contact = self._logistics_contact(picking.partner_id)
            if not contact:
                continue
            if company.logistics_survey_throttle_days:
                seen.add(key)
            vals_list.append(self._logistics_prepare_values(company, customer, contact, grades.get(key), picking))
        return self._logistics_create_and_send(vals_list)

    @api.model
    def _logistics_prepare_values(self, company, customer, contact, grade, picking=None, order=None):
        picking = picking or self.env["stock.picking"]
        order = order or picking.sale_id
        now = fields.Datetime.now()
        return {
            "company_id": company.id,
            "partner_id": customer.id,
            "contact_id": contact.id,
            "picking_id": picking.id,
            "sale_order_id": order.id,
            "survey_id": company.logistics_survey_id.id,
            "customer_grade": grade,
            "state": "scheduled",
            "scheduled_date": now + timedelta(hours=company.logistics_survey_delay_hours),
        }

    @api.model
    def _logistics_create_and_send(self, vals_list):
        if not vals_list:
            return self.browse()
        # the system records the invitations (users may not create them by hand)
        surveys = self._logistics_system_writer().with_context(mail_create_nolog=True, tracking_disable=True)
        surveys = surveys.create(vals_list)
        now = fields.Datetime.now()
        surveys.filtered(lambda s: s.scheduled_date <= now)._logistics_send()
        return surveys.with_env(self.env)

    def _logistics_send(self):
        """Send these scheduled invitations: one answer of Odoo's survey each
        (its token, its deadline), created together, and the invitation
        mails rendered and queued together."""
        surveys = self.filtered(lambda s: s.state == "scheduled")
        if not surveys:
            return
        now = fields.Datetime.now()
        # sudo: the system creates the customers' personal answers of the
        # questionnaire, as Odoo's own invitation wizard does
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .create(
                [
                    {
                        "survey_id": survey.survey_id.id,
                        "partner_id": survey.contact_id.id,
                        "email": survey.contact_id.email,
                        "nickname": survey.contact_id.name,
                        "deadline": now + timedelta(days=survey.company_id.logistics_survey_expiry_days),
                    }
                    for survey in surveys
                ]
            )
        )
        writer = surveys.with_context(tracking_disable=True)._logistics_system_writer()
        for survey, answer in zip(writer, answers, strict=True):
            survey.write({"user_input_id": answer.id, "state": "sent", "sent_date": now, "deadline": answer.deadline})
        template = self.env.ref("logistics_crm.mail_template_survey_invitation", raise_if_not_found=False)
        if template:
            # sudo: the system mails the invitations (the template reads the answer's link)
            template.sudo().send_mail_batch(surveys.ids)

    @api.model
    def _cron_send_scheduled(self, batch_size=500):
        """Send the invitations whose delay after delivery is over."""
        # sudo: the scheduled sending covers every company
        domain = [("state", "=", "scheduled"), ("scheduled_date", "<=", fields.Datetime.now())]
        surveys = self.sudo().search(domain, order="scheduled_date, id", limit=batch_size)
        surveys._logistics_send()
        remaining = self.sudo().search_count(domain) if len(surveys) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(surveys), remaining=remaining)
        return len(surveys)

    @api.model
    def _cron_expire(self, batch_size=1000):
        """Expire the invitations not answered by their deadline."""
        # sudo: the scheduled expiry covers every company
        domain = [("state", "=", "sent"), ("deadline", "<", fields.Datetime.now())]
        surveys = self.sudo().search(domain, order="deadline, id", limit=batch_size)
        surveys._logistics_close("expired")
        remaining = self.sudo().search_count(domain) if len(surveys) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(surveys), remaining=remaining)
        return len(surveys)

    def _logistics_close(self, state):
        """Expire or cancel: the link stops working (its deadline passes now)."""
        if not self:
            return
        now = fields.Datetime.now()
        self._logistics_system_writer().write({"state": state})
        answers = self.user_input_id.sudo().filtered(lambda a: a.state != "done")
        # sudo: the system closes the answers of its own invitations
        answers.filtered(lambda a: not a.deadline or a.deadline > now).write({"deadline": now})
        self._logistics_recompute_partner_figures()

    # ------------------------------------------------------------------
    # sending by hand
    # ------------------------------------------------------------------

    @api.model
    def _logistics_send_winback(self, customers, company):
        """Invite ``customers`` (at risk of churning in ``company``) to the
        satisfaction survey, about no delivery in particular, in one batch:
        those with an email, not invited within the throttle, when the
        company has a questionnaire. Return the invitations."""
        if not customers or not company.logistics_survey_id:
            return self.browse()
        throttled = self._logistics_throttled_customers(customers, company)
        grades = self._logistics_grades(customers, company)
        vals_list = []
        for customer in customers:
            contact = self._logistics_contact(customer)
            if not contact or (company.id, customer.id) in throttled:
                continue
            values = self._logistics_prepare_values(company, customer, contact, grades.get((company.id, customer.id)))
            values["scheduled_date"] = fields.Datetime.now()
            vals_list.append(values)
        return self._logistics_create_and_send(vals_list)

    @api.model
    def _logistics_send_manual(self, partner, picking=None, order=None, force=False):
        """Send an invitation by hand to ``partner``'s customer, about
        ``picking`` or ``order``: specialists, within the throttle;
        supervisors may ``force`` it past the throttle."""
        if not self.env.user.has_group(SPECIALIST):
            raise AccessError(self.env._("Only Logistics CRM users can send satisfaction surveys."))
        if force and not self.env.user.has_group(SUPERVISOR):
            raise AccessError(self.env._("Only Logistics CRM supervisors can send a survey within the throttle."))
        picking = picking or self.env["stock.picking"]
        order = order or picking.sale_id
        for record in (partner, picking, order):
            if record:
                record.check_access("read")
        company = (picking.company_id or order.company_id or self.env.company).sudo()
        if not company.logistics_survey_id:
            raise UserError(self.env._("Choose the satisfaction questionnaire in the settings first."))
        customer = partner.commercial_partner_id
        if picking and self._logistics_surveyed_pickings(picking):
            raise UserError(self.env._("This delivery has been surveyed already."))
        if not force and self._logistics_throttled_customers(customer, company):
            raise UserError(
                self.env._(
                    "%(customer)s was invited to a survey within the last %(days)s days.",
                    customer=customer.display_name,
                    days=company.logistics_survey_throttle_days,
                )
            )
        contact = self._logistics_contact(partner)
        if not contact:
            raise UserError(self.env._("%(partner)s has no email address.", partner=partner.display_name))
        grade = self._logistics_grades(customer, company).get((company.id, customer.id))
        values = self._logistics_prepare_values(company, customer, contact, grade, picking, order)
        values["scheduled_date"] = fields.Datetime.now()
        survey = self._logistics_create_and_send([values])
        survey._message_log(
            body=self.env._("Survey sent by hand by %(user)s.", user=self.env.user.name),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Survey sent to %(contact)s.", contact=contact.display_name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # answers
    # ------------------------------------------------------------------

    @api.model
    def _logistics_record_answers(self, user_inputs):
        """Fill in the scores of the surveys behind ``user_inputs``, which
        Odoo just marked done: one read of their lines, one write per
        survey, the follow-up of low answers in batch, and the figures of
        their customers."""
        # sudo: the system records the customers' answers on their surveys
        surveys = self.sudo().search([("user_input_id", "in", user_inputs.ids), ("state", "in", OPEN_STATES)])
        if not surveys:
            return surveys
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search_read(
                [
                    ("user_input_id", "in", surveys.user_input_id.ids),
                    ("skipped", "=", False),
                    ("question_id.logistics_dimension", "!=", False),
                ],
                ["user_input_id", "question_id", "answer_type", "value_scale", "value_text_box"],
            )
        )
        dimensions = {
            question.id: question.logistics_dimension
            for question in self.env["survey.question"].sudo().browse({line["question_id"][0] for line in lines})
        }
        scores = defaultdict(dict)
        for line in lines:
            fname = DIMENSION_FIELDS[dimensions[line["question_id"][0]]]
            if fname == "comment":
                value = line["value_text_box"] or False
            else:
                value = line["value_scale"] if line["answer_type"] == "scale" else False
            scores[line["user_input_id"][0]][fname] = value
        now = fields.Datetime.now()
        writer = surveys._logistics_system_writer()
        for survey in writer:
            values = scores[survey.user_input_id.id]
            nps_score = values.get("nps_score")
            category = satisfaction.nps_category(nps_score if "nps_score" in values else None)
            csat = values.get("csat_score") or 0
            survey.write(
                {
                    **values,
                    "state": "answered",
                    "answered_date": now,
                    "nps_category": category,
                    "csat_percent": 100.0 if csat >= satisfaction.SATISFIED_MIN else 0.0,
                    "nps_value": {"promoter": 100.0, "passive": 0.0, "detractor": -100.0}.get(category, 0.0),
                    "csat_target": survey.company_id.logistics_csat_target,
                    "is_low": satisfaction.is_low_answer(
                        nps_score if category else None, [values.get(fname) for fname in SCORE_FIELDS]
                    ),
                }
            )
        surveys._logistics_store_zeros()
        surveys.filtered("is_low")._logistics_follow_up()
        surveys._logistics_recompute_partner_figures()
        return surveys

    def _logistics_store_zeros(self):
        """Store the zeros of these answered surveys' figures. The ORM skips
        writing a value equal to the one in its cache, and a number never
        written (NULL) reads as 0: a recommendation of 0, a dissatisfied
        answer (CSAT 0 %) or a passive (NPS 0) would stay NULL, which the
        averages of the reports leave out. A figure whose question was not
        answered stays NULL (left out, as it should)."""
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_survey
                   SET nps_score = CASE WHEN nps_category IS NOT NULL THEN COALESCE(nps_score, 0) END,
                       nps_value = CASE WHEN nps_category IS NOT NULL THEN COALESCE(nps_value, 0) END,
                       csat_percent = CASE WHEN csat_score IS NOT NULL THEN COALESCE(csat_percent, 0) END
                 WHERE id IN %s
                """,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["nps_score", "nps_value", "csat_percent"])

    def _logistics_follow_up(self):
        """A to-do for the customer's salesperson, due today, on each low answer."""
        if not self:
            return
        today = fields.Date.context_today(self)
        summary = self.env._("Low satisfaction: call the customer")
        self.env["mail.activity"]._logistics_schedule(
            self.env.ref("mail.mail_activity_data_todo"),
            [
                (
                    survey,
                    {
                        "user_id": survey.partner_id.user_id.id,
                        "date_deadline": today,
                        "summary": summary,
                        "note": self.env._(
                            "%(customer)s answered: overall %(overall)s/5, recommendation %(nps)s/10.",
                            customer=survey.partner_id.display_name,
                            overall=survey.csat_score,
                            nps=survey.nps_score,
                        ),
                    },
                )
                for survey in self
                if survey.partner_id.user_id
            ],
        )

    def _logistics_recompute_partner_figures(self):
        """The satisfaction figures of these surveys' customers, per company."""
        for company, surveys in self.grouped("company_id").items():
            self.env["res.partner"]._logistics_compute_survey_figures(surveys.partner_id, company)

    @api.model
    def _logistics_answer_page_state(self, user_input):
        """For the public answer pages: 'answered', 'expired' or 'cancelled'
        when the invitation behind ``user_input`` no longer takes answers,
        else False (also for answers of other surveys)."""
        # sudo: the public page of an answer, found by its unguessable token
        survey = self.sudo().search([("user_input_id", "=", user_input.id)], limit=1)
        if not survey:
            return False
        if survey.state == "answered" or user_input.state == "done":
            return "answered"
        if survey.state in ("expired", "cancelled"):
            return survey.state
        if user_input.deadline and user_input.deadline < fields.Datetime.now():
            return "expired"
        return False

    # ------------------------------------------------------------------
    # demo data
    # ------------------------------------------------------------------

    @api.model
    def _logistics_demo_history(self, invitations):
        """Demo data only (``demo/logistics_survey_demo.xml``; the module
        itself never calls this): a year of satisfaction surveys.

        ``invitations`` lists ``(customer xmlid, days ago, answer, comment)``
        and optionally a complaint, oldest first. Each invitation is about
        the customer's latest delivery done by then and not surveyed yet, and
        goes through the real workflow at install time: created and sent by
        the system (Odoo's survey answer with its token, the invitation mail
        queued), then, by ``answer``:

        - a tuple of the scores (overall, timeliness, condition, accuracy,
          attitude, price, communication: 1-5; recommendation: 0-10): the
          questionnaire answered as its page does (Odoo's answer lines, with
          ``comment`` in its text box), and the answer marked done, so that
          the module's hook fills the scores and the follow-up of low ones;
        - ``'sent'``: not answered yet; ``'expired'``: closed by the expiry
          (after the link's validity, so sent longer ago than that);
          ``'cancelled'``: cancelled by the demo supervisor;
        - ``'scheduled'``: not sent yet, due ``-days`` days from now.

        A complaint, ``{'xmlid', 'values', 'actions', 'timeline'}``, is
        created from the answered survey by the demo supervisor (the
        survey's button), given ``values``, moved on by the supervisor's
        ``actions`` and dated by the complaint demo's own
        ``_logistics_demo_timeline`` (``timeline`` without ``received``:
        two hours after the answer).

        Then the system (``_logistics_system_writer``, as it writes these
        dates everywhere else) moves everything into the past: sent (and
        scheduled) ``days`` ago, the link valid for the company's expiry
        days from then, answered a few hours after the sending, cancelled
        three days after it; Odoo's answer and its lines, the messages of
        the surveys and their follow-ups the same. A follow-up older than
        three weeks was done by the salesperson then; newer ones are open.
        The mails these past events queued (invitations, notices of the
        complaints) are deleted, nobody is mailed about them now, and the
        customers' satisfaction figures are recomputed in batch."""
        now = fields.Datetime.now()
        company = self.env.ref("base.main_company")
        supervisor = self.env.ref("logistics_crm.user_supervisor_demo")
        expiry = timedelta(days=company.logistics_survey_expiry_days)
        questions = company.logistics_survey_id.question_ids
        scored = ("overall", "timeliness", "condition", "accuracy", "attitude", "price", "communication", "recommend")
        used = set(self.with_context(active_test=False).search([]).picking_id.ids)
        vals_list, stories = [], []
        for customer_xmlid, days, answer, comment, *complaint in invitations:
            customer = self.env.ref(customer_xmlid)
            when = now - timedelta(days=days)
            picking = self.env["stock.picking"].search(
                [
                    ("partner_id", "child_of", customer.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "=", "done"),
                    ("date_done", "<=", min(when, now)),
                    ("id", "not in", list(used)),
                ],
                order="date_done desc, id desc",
                limit=1,
            )
            contact = self._logistics_contact(picking.partner_id)
            if (when > now) != (answer == "scheduled") or not contact:
                raise ValueError(f"{customer_xmlid}, {days} days ago: in the future, no delivery or no email")
            used.add(picking.id)
            grade = self._logistics_grades(customer, company).get((company.id, customer.id))
            values = self._logistics_prepare_values(company, customer, contact, grade, picking)
            # a scheduled invitation is due then; the others are sent now
            values["scheduled_date"] = max(when, now)
            vals_list.append(values)
            stories.append((when, answer, comment, next(iter(complaint), None)))
        surveys = self._logistics_create_and_send(vals_list)
        by_state = defaultdict(lambda: self.browse())
        for survey, (_when, answer, comment, _complaint) in zip(surveys, stories, strict=True):
            by_state["answered" if isinstance(answer, (tuple, list)) else answer] |= survey
            # the customer answers as the survey's page does
            lines = (
                {**dict(zip(scored, map(str, answer), strict=True)), "comment": comment}
                if survey in by_state["answered"]
                else {}
            )
            for question in questions.filtered(lambda q, lines=lines: lines.get(q.logistics_dimension)):
                survey.user_input_id.sudo()._save_lines(question, lines[question.logistics_dimension])
        by_state["answered"].user_input_id.sudo()._mark_done()
        by_state["expired"]._logistics_close("expired")
        by_state["cancelled"].with_user(supervisor).action_cancel()

        # complaints from low answers, by the demo supervisor
        complaints = {}
        for survey, (_when, _answer, _comment, complaint) in zip(surveys, stories, strict=True):
            if not complaint:
                continue
            action = survey.with_user(supervisor).action_create_complaint()
            record = self.env["logistics.complaint"].with_user(supervisor).browse(action["res_id"])
            record.write(complaint.get("values", {}))
            for method in complaint.get("actions", ()):
                getattr(record, method)()
            xmlid = f"logistics_crm.{complaint['xmlid']}"
            self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": record.sudo(), "noupdate": True}])
            complaints[xmlid] = (survey, complaint.get("timeline", {}))

        # into the past (a scheduled invitation is due as created)
        writer = (surveys - by_state["scheduled"]).with_context(tracking_disable=True, mail_notrack=True)
        for survey in writer._logistics_system_writer():
            when = stories[surveys.ids.index(survey.id)][0]
            # answered within a day of the invitation, cancelled three days after it
            answered = min(when + timedelta(hours=1 + int(when.timestamp() // 3600) % 23), now)
            event = {
                "answered": answered,
                "expired": min(when + expiry, now),
                "cancelled": min(when + timedelta(days=3), now),
            }.get(survey.state, when)
            values = {"scheduled_date": when, "sent_date": when, "deadline": when + expiry}
            input_values = {"deadline": event if survey.state == "cancelled" else when + expiry}
            if survey.state == "answered":
                values["answered_date"] = event
                input_values.update({"start_datetime": event - timedelta(minutes=4), "end_datetime": event})
            survey.write(values)
            user_input = survey.user_input_id.sudo()
            user_input.write(input_values)
            self.env.cr.execute(SQL("UPDATE survey_user_input SET create_date = %s WHERE id = %s", when, user_input.id))
            self.env.cr.execute(
                SQL("UPDATE survey_user_input_line SET create_date = %s WHERE user_input_id = %s", event, user_input.id)
            )
            survey.message_ids.date = event
            survey.activity_ids.date_deadline = event.date()
        self.env["survey.user_input"].invalidate_model(["create_date"])
        self.env["survey.user_input.line"].invalidate_model(["create_date"])
        # the follow-ups of more than three weeks ago were done then
        old = surveys.activity_ids.filtered(lambda a: a.date_deadline < (now - timedelta(days=21)).date())
        for activity in old:
            done = fields.Datetime.to_datetime(activity.date_deadline) + timedelta(days=1, hours=10)
            message = activity.with_user(activity.user_id).action_feedback(
                feedback=self.env._("Called the customer about the answer.")
            )
            self.env["mail.message"].browse(message).date = done
        for xmlid, (survey, timeline) in complaints.items():
            received = survey.answered_date + timedelta(hours=2)
            timeline = {**timeline, "received": (now - received).total_seconds() / 86400}
            self.env["logistics.complaint"]._logistics_demo_timeline({xmlid: timeline})

        # nobody is mailed about these past events
        records = {"logistics.survey": surveys.ids, "logistics.complaint": [self.env.ref(x).id for x in complaints]}
        for model, ids in records.items():
            # sudo: the system withdraws the mails its demo queued
            self.env["mail.mail"].sudo().search([("model", "=", model), ("res_id", "in", ids)]).unlink()
        surveys._logistics_recompute_partner_figures()
        return True
