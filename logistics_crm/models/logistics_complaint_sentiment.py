"""Sentiment triage of what customers write: a complaint's description
(however it was filed), the customer's replies on it, survey comments.

Scored offline by ``tools/sentiment.py``. A clearly unhappy text (angry,
threatening to leave, demanding compensation) raises the complaint's alert
and, once, its severity by one step (never above critical), which tightens
its SLA while nobody has responded; the complaint shows in the supervisors'
*Unhappy Customers* list. Staff clear a wrong alert: the correction is kept
(the complaint is not alerted again), its score still follows what the
customer writes.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext

from ..tools import sentiment
from .logistics_complaint import OPEN_STATES, SYSTEM_FIELDS
from .logistics_survey import SYSTEM_FIELDS as SURVEY_SYSTEM_FIELDS

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
SENTIMENT_FIELDS = frozenset(
    {"sentiment_score", "sentiment_alert", "sentiment_drivers", "sentiment_alert_cleared", "sentiment_escalated"}
)
# a severity one step up
NEXT_SEVERITY = {"low": "normal", "normal": "high", "high": "critical", "critical": "critical"}


def _text(value):
    """The plain text of an HTML field's value or a message body."""
    return html2plaintext(value or "").strip() if value else ""


class LogisticsComplaint(models.Model):
    _inherit = "logistics.complaint"
    _logistics_system_fields = SYSTEM_FIELDS | SENTIMENT_FIELDS

    sentiment_score = fields.Float(
        string="Sentiment",
        groups=SPECIALIST,
        digits=(16, 2),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="From -1 (very unhappy) to 1: the most unhappy of what the customer wrote (the description and "
        "the replies).",
    )
    sentiment_alert = fields.Boolean(
        string="Unhappy Customer",
        groups=SPECIALIST,
        readonly=True,
        copy=False,
        index=True,
        help="The customer is clearly unhappy: angry, threatening to leave or demanding compensation.",
    )
    sentiment_drivers = fields.Char(string="Sentiment Words", readonly=True, copy=False, groups=SPECIALIST)
    sentiment_alert_cleared = fields.Boolean(
        string="Alert Cleared",
        groups=SPECIALIST,
        readonly=True,
        copy=False,
        help="Staff judged the alert wrong: the complaint is not alerted again.",
    )
    sentiment_escalated = fields.Boolean(
        readonly=True, copy=False, groups=SPECIALIST, help="The alert raised the severity (once per complaint)."
    )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._logistics_score_texts(complaints._logistics_customer_texts())
        return complaints

    def write(self, vals):
        res = super().write(vals)
        if "description" in vals and not self._logistics_in_system_write():
            self._logistics_score_texts(self._logistics_customer_texts())
        return res

    def _logistics_customer_texts(self):
        """{complaint id: what its customer wrote when filing it}."""
        return {complaint.id: f"{complaint.summary or ''}\n{_text(complaint.description)}" for complaint in self}

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type not in ("comment", "email") or message.subtype_id != self.env.ref("mail.mt_comment"):
            return res
        author = message.author_id
        # a reply of the customer (not of the company's users)
        replied = self.filtered(
            lambda complaint: author and author.commercial_partner_id == complaint.commercial_partner_id
        )
        if replied:
            text = _text(message.body)
            replied._logistics_score_texts(dict.fromkeys(replied.ids, text), reply=True)
        return res

    def _logistics_score_texts(self, texts, reply=False):
        """Score ``texts`` ({complaint id: what the customer wrote}) and store
        the result: the score of the description, or, for a reply, the lower
        of the stored one and the reply's; the alert (unless cleared) and,
        the first time, the severity one step up. Written by the system: one
        write per complaint whose figures change, one per severity raised."""
        scored = dict(zip(texts, sentiment.analyse_many(texts.values()), strict=True))
        # sudo: the system scores what the customer wrote (its figures are
        # Logistics CRM fields, whoever filed the complaint or replied)
        complaints = self.sudo().browse(list(texts))
        escalate = complaints.browse()
        for complaint in complaints:
            result = scored[complaint.id]
            values = {}
            if not reply or result.score < complaint.sentiment_score:
                values["sentiment_score"] = result.score
                values["sentiment_drivers"] = ", ".join(result.drivers)[:255] or False
            if result.alert and not complaint.sentiment_alert_cleared and not complaint.sentiment_alert:
                values["sentiment_alert"] = True
                if not complaint.sentiment_escalated and complaint.state in OPEN_STATES:
                    values["sentiment_escalated"] = True
                    escalate |= complaint
            if values:
                complaint._logistics_system_writer().write(values)
        for severity in set(escalate.mapped("severity")):
            # sudo: the system raises the severity (the deadlines follow it
            # before the first response, as for a change by hand)
            raised = escalate.filtered(lambda complaint, severity=severity: complaint.severity == severity)
            if severity != "critical":
                raised.sudo().write({"severity": NEXT_SEVERITY[severity]})
        if escalate:
            escalate._message_log_batch(
                bodies={
                    complaint.id: Markup("<p>%s</p>")
                    % self.env._(
                        "The customer sounds clearly unhappy (%(words)s): severity raised to %(severity)s.",
                        words=complaint.sentiment_drivers or "-",
                        severity=dict(complaint._fields["severity"]._description_selection(self.env))[
                            complaint.severity
                        ],
                    )
                    for complaint in escalate
                }
            )

    def action_clear_sentiment_alert(self):
        """Staff judge the alert wrong: cleared for good on these complaints."""
        if not self.env.user.has_group(SPECIALIST):
            raise AccessError(self.env._("Only Logistics CRM users can clear an alert."))
        self.check_access("write")
        alerted = self.filtered("sentiment_alert")
        alerted._logistics_system_writer().write({"sentiment_alert": False, "sentiment_alert_cleared": True})
        if alerted:
            alerted._message_log_batch(
                bodies=dict.fromkeys(
                    alerted.ids,
                    Markup("<p>%s</p>")
                    % self.env._("Unhappy-customer alert cleared by %(user)s.", user=self.env.user.name),
                )
            )
        return True


class LogisticsSurvey(models.Model):
    _inherit = "logistics.survey"
    _logistics_system_fields = SURVEY_SYSTEM_FIELDS | {"sentiment_score", "sentiment_alert", "sentiment_drivers"}

    sentiment_score = fields.Float(
        string="Comment Sentiment", digits=(16, 2), readonly=True, aggregator="avg", groups=SPECIALIST
    )
    sentiment_alert = fields.Boolean(string="Unhappy Comment", readonly=True, groups=SPECIALIST)
    sentiment_drivers = fields.Char(string="Comment Sentiment Words", readonly=True, groups=SPECIALIST)

    @api.model
    def _logistics_record_answers(self, user_inputs):
        surveys = super()._logistics_record_answers(user_inputs)
        commented = surveys.filtered("comment")
        for survey, result in zip(commented, sentiment.analyse_many(commented.mapped("comment")), strict=True):
            survey._logistics_system_writer().write(
                {
                    "sentiment_score": result.score,
                    "sentiment_alert": result.alert,
                    "sentiment_drivers": ", ".join(result.drivers)[:255] or False,
                }
            )
        return surveys
