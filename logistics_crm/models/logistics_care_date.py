import calendar
from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import split_every

CARE_KIND_SELECTION = [
    ("anniversary", "Founding Anniversary"),
    ("holiday", "Holiday"),
    ("birthday", "Birthday"),
    ("other", "Other"),
]


def next_occurrence(day, today):
    """The next date, from ``today`` on, with the month and day of ``day``
    (29 February falls on the 28th in other years)."""
    for year in (today.year, today.year + 1):
        last = calendar.monthrange(year, day.month)[1]
        candidate = date(year, day.month, min(day.day, last))
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's date is after today")


class LogisticsCareDate(models.Model):
    _name = "logistics.care.date"
    _description = "Customer Care Date"
    _order = "partner_id, care_month, care_day, id"
    _check_company_auto = True

    name = fields.Char(required=True, help="What is celebrated, e.g. 'Founding anniversary'.")
    kind = fields.Selection(CARE_KIND_SELECTION, required=True, default="other")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        domain="[('parent_id', '=', partner_id)]",
        help="The contact whose date it is (a birthday), if not the customer itself.",
    )
    date = fields.Date(required=True, help="The date; it recurs every year on the same day.")
    care_month = fields.Integer(compute="_compute_care_day", store=True)
    care_day = fields.Integer(compute="_compute_care_day", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    note = fields.Text()
    active = fields.Boolean(default=True)
    last_reminded_date = fields.Date(
        readonly=True, copy=False, help="The occurrence of the date that was last reminded (once a year)."
    )

    @api.depends("date")
    def _compute_care_day(self):
        for care in self:
            care.care_month = care.date.month if care.date else 0
            care.care_day = care.date.day if care.date else 0

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for care in self:
            if care.contact_id and care.contact_id.commercial_partner_id != care.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s.",
                        contact=care.contact_id.display_name,
                        customer=care.partner_id.display_name,
                    )
                )
            if care.partner_id.commercial_partner_id != care.partner_id:
                raise ValidationError(
                    self.env._(
                        "Care dates belong to the customer: %(company)s, not its contact %(contact)s.",
                        company=care.partner_id.commercial_partner_id.display_name,
                        contact=care.partner_id.display_name,
                    )
                )

    @api.model
    def _remind(self, today=None):
        """A to-do activity for the salesperson of each customer, the
        company's reminder days before each care date, once per occurrence;
        created in one batch per thousand dates. Return the activities."""
        today = today or fields.Date.context_today(self)
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.env["mail.activity"]
        # sudo: the system reminds the care dates of every company
        cares = self.sudo().search([("partner_id.user_id", "!=", False)])
        due = []
        for care in cares:
            occurrence = next_occurrence(care.date, today)
            days = care.company_id.logistics_care_reminder_days
            if occurrence - today <= timedelta(days=days) and care.last_reminded_date != occurrence:
                due.append((care, occurrence))
        for batch in split_every(1000, due):
            activities |= activities._logistics_schedule(
                todo,
                [
                    (
                        care.partner_id,
                        {
                            "summary": self.env._("Care date: %(name)s", name=care.name),
                            "note": care.contact_id.display_name or False,
                            "user_id": care.partner_id.user_id.id,
                            "date_deadline": occurrence,
                        },
                    )
                    for care, occurrence in batch
                ],
            )
            by_occurrence = defaultdict(list)
            for care, occurrence in batch:
                by_occurrence[occurrence].append(care.id)
            for occurrence, ids in by_occurrence.items():
                self.sudo().browse(ids).write({"last_reminded_date": occurrence})
        return activities

    @api.model
    def _cron_remind(self):
        return self._remind()
