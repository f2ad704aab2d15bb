"""The grading engine: figures, size and grade of customers from their sales.

Grades are per company: a customer shared between companies (no company of its
own) is graded by each company with that company's rules, from that company's
confirmed orders, in that company's currency, into company-dependent fields.
A customer that belongs to a company is graded by that company only.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL, float_compare, float_round, split_every

from ..tools.grading import WINDOW_DAYS, compute_grade, compute_size, monthly_average

# What the grading reads of each customer, besides its sales figures: its
# classification, and its stored company-dependent figures and grades (read
# for the grading company).
GRADING_STATE_FIELDS = (
    "industry_id",
    "logistics_customer_type",
    "logistics_government_level",
    "logistics_credit_status",
    "logistics_annual_spend",
    "logistics_monthly_orders",
    "logistics_size",
    "logistics_grade_computed",
    "logistics_grade_rule_id",
    "logistics_grade_credit_demoted",
    "logistics_grade_override",
    "logistics_grade",
    "logistics_grade_date",
)


# What the grading writes of each customer it grades, with its SQL type.
GRADED_COLUMNS = {
    "logistics_size": "varchar",
    "logistics_grade_computed": "varchar",
    "logistics_grade_rule_id": "int4",
    "logistics_grade_credit_demoted": "bool",
    "logistics_grade": "varchar",
    "logistics_annual_spend": "float8",
    "logistics_monthly_orders": "float8",
    "logistics_grade_date": "date",
}


class LogisticsGrading(models.AbstractModel):
    _name = "logistics.grading"
    _description = "Customer Grading Engine"

    @api.model
    def _customer_domain(self, company):
        """Partners that ``company`` grades: commercial entities that are
        classified, customers, or have sale orders (themselves or through a
        contact), shared or of that company; never the partners of the
        companies of the database nor of internal users."""
        # sudo: the companies' partners are excluded whatever the user may read
        company_partner_ids = self.env["res.company"].sudo().with_context(active_test=False).search([]).partner_id.ids
        return [
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            ("company_id", "in", [company.id, False]),
            ("id", "not in", company_partner_ids),
            ("user_ids", "not any", [("share", "=", False)]),
            "|",
            "|",
            "|",
            ("logistics_customer_type", "!=", False),
            ("customer_rank", ">", 0),
            ("sale_order_ids", "!=", False),
            ("child_ids.sale_order_ids", "!=", False),
        ]

    @api.model
    def _sales_figures_sql(self, partner_ids, company, since):
        """Return the query of the sales figures of the commercial partners
        ``partner_ids`` in ``company``: rows of (commercial partner id, annual
        spend, order count) over the company's confirmed orders of the
        partners and their contacts dated from ``since``, the spend in the
        company's currency."""
        return SQL(
            """
            WITH contacts AS MATERIALIZED (
                SELECT id, commercial_partner_id FROM res_partner WHERE commercial_partner_id = ANY(%(ids)s)
            )
            SELECT contacts.commercial_partner_id AS partner_id,
                   SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS spend,
                   COUNT(*) AS order_count
              FROM sale_order so
              JOIN contacts ON contacts.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company_id)s
               AND so.date_order >= %(since)s
               -- the orders of the partners and their contacts only, found
               -- through sale_order_logistics_grading_index (an index-only
               -- scan: see sale.order's init()) rather than a scan of every order
               AND so.partner_id = ANY(ARRAY(SELECT id FROM contacts))
          GROUP BY contacts.commercial_partner_id
            """,
            company_id=company.id,
            since=since,
            ids=list(partner_ids),
        )

    @api.model
    def _read_state(self, partners, company, now=None):
        """Return, in one query, the stored grading state of ``partners`` in
        ``company`` with their current sales figures there: a list of dicts
        with the columns of GRADING_STATE_FIELDS, ``id``, ``spend`` and
        ``order_count``. Plain values, so that grading thousands of customers
        whose grade did not change costs no ORM work."""
        partners = partners.with_company(company)
        self.env["sale.order"].flush_model(
            ["state", "company_id", "date_order", "amount_untaxed", "currency_rate", "partner_id"]
        )
        partners.flush_model(["commercial_partner_id", *GRADING_STATE_FIELDS])
        since = (now or fields.Datetime.now()) - timedelta(days=WINDOW_DAYS)
        columns = SQL(", ").join(
            SQL("%s AS %s", partners._field_to_sql("partner", fname), SQL.identifier(fname))
            for fname in GRADING_STATE_FIELDS
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.id, %(columns)s,
                       COALESCE(figures.spend, 0) AS spend,
                       COALESCE(figures.order_count, 0) AS order_count
                  FROM res_partner partner
             LEFT JOIN (%(figures)s) figures ON figures.partner_id = partner.id
                 WHERE partner.id = ANY(%(ids)s)
                """,
                columns=columns,
                figures=self._sales_figures_sql(partners.ids, company, since),
                ids=list(partners.ids),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _company_context(self, company):
        """Return what grading needs of ``company``: its rules, the rounding
        of its currency and its size thresholds."""
        return {
            "rules": self.env["logistics.grade.rule"].sudo()._get_rules_for_company(company),
            # the rounding as a plain value: a currency's methods read it
            # through the ORM at every call, thousands of times a batch
            "rounding": company.currency_id.rounding,
            "size_thresholds": company._logistics_size_thresholds(),
            "today": self._today(),
        }

    @api.model
    def _today(self):
        """The date of the grading: today in UTC, the same for the nightly
        grading and for every user whatever their timezone (and no query for
        the user's timezone in each batch)."""
        return fields.Date.today()

    @api.model
    def _grade_row(self, row, context):
        """Return the graded values of one row of :meth:`_read_state`
        ({field name: value}, see :meth:`_write_graded`) and whether its
        figures, size or grade changed; no values when there is nothing to
        write (nothing changed, and the row was graded today)."""
        spend = row["spend"]
        monthly = round(monthly_average(row["order_count"]), 2)
        grade, rule, demoted = compute_grade(
            context["rules"],
            spend,
            monthly,
            customer_type=row["logistics_customer_type"] or False,
            industry_id=row["industry_id"] or False,
            credit_status=row["logistics_credit_status"] or False,
        )
        size = compute_size(
            row["logistics_customer_type"] or False,
            spend,
            monthly,
            current_size=row["logistics_size"] or False,
            government_level=row["logistics_government_level"] or False,
            **context["size_thresholds"],
        )
        new = {
            "logistics_size": size,
            "logistics_grade_computed": grade,
            "logistics_grade_rule_id": rule.key if rule else False,
            "logistics_grade_credit_demoted": demoted,
            "logistics_grade": row["logistics_grade_override"] or grade,
        }
        changed = bool(
            any(value != (row[fname] or False) for fname, value in new.items())
            or float_compare(spend, row["logistics_annual_spend"] or 0.0, precision_rounding=context["rounding"])
            or float_compare(monthly, row["logistics_monthly_orders"] or 0.0, precision_digits=2)
        )
        if not changed and row["logistics_grade_date"] == context["today"]:
            return None, False
        values = dict(
            new,
            logistics_annual_spend=float_round(spend, precision_rounding=context["rounding"]),
            logistics_monthly_orders=monthly,
            logistics_grade_date=context["today"],
        )
        return values, changed

    @api.model
    def _write_graded(self, company, graded):
        """Store ``graded`` ({partner id: {field name: value}}) as the values
        of ``company``, in one UPDATE statement.

        Not through ``write()``: the figures differ from one customer to the
        next, and the ORM writes company-dependent values customer by
        customer, each write reading the customer again for its constraints
        (some ten times slower for a batch of 1,000). These values are
        computed here, consistent by construction, and concern neither
        tracking, nor the contacts, nor any stored field computed from them.
        """
        rows = SQL(", ").join(
            SQL(
                "(%s, %s)",
                partner_id,
                SQL(", ").join(
                    SQL("%s::%s", None if value is False and ctype != "bool" else value, SQL(ctype))
                    for value, ctype in zip(
                        (values[fname] for fname in GRADED_COLUMNS), GRADED_COLUMNS.values(), strict=True
                    )
                ),
            )
            for partner_id, values in graded.items()
        )
        assignments = SQL(", ").join(
            SQL(
                "%(column)s = COALESCE(partner.%(column)s, '{}'::jsonb)"
                " || jsonb_build_object(%(company)s, graded.%(column)s)",
                column=SQL.identifier(fname),
                company=str(company.id),
            )
            for fname in GRADED_COLUMNS
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS partner
                   SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
                  FROM (VALUES %(rows)s) AS graded(id, %(columns)s)
                 WHERE partner.id = graded.id
                """,
                assignments=assignments,
                uid=self.env.uid,
                now=self.env.cr.now(),
                rows=rows,
                columns=SQL(", ").join(SQL.identifier(fname) for fname in GRADED_COLUMNS),
            )
        )
        self.env["res.partner"].browse(list(graded)).invalidate_recordset([*GRADED_COLUMNS, "write_uid", "write_date"])

    @api.model
    def _grade(self, partners, company, now=None):
        """Recompute the figures, size and grade in ``company`` of the
        customers among ``partners``: one query reads the stored state and the
        figures of the whole batch, one statement writes what changed, and
        grade changes are logged in batch. Nothing is written for
        a customer whose figures and grade did not change, so that running it
        again is cheap and safe. Return the customers whose figures or grade
        changed."""
        # sudo: figures and grades are derived by the system from sale orders;
        # the user only triggers the computation (and may not edit them by hand).
        Partner = self.env["res.partner"].sudo().with_company(company)
        partners = Partner.search(
            expression.AND([self._customer_domain(company), [("id", "in", partners.ids)]]), order="id"
        )
        if not partners:
            return Partner
        context = self._company_context(company)
        graded = {}
        old_grades = {}
        for row in self._read_state(partners, company, now=now):
            # what changed, and the grading date of the others once a day
            values, changed = self._grade_row(row, context)
            if values:
                graded[row["id"]] = values
            if changed:
                old_grades[row["id"]] = row["logistics_grade"] or False
        if graded:
            self._write_graded(company, graded)
        changed = Partner.browse(list(old_grades))
        if changed:
            self._log_grade_changes(changed, old_grades)
        return changed

    @api.model
    def _regrade_graded_customers(self, companies, batch_size=1000):
        """Regrade, in batches, the customers that ``companies`` have graded
        (after a change of the grading rules)."""
        # sudo: every customer graded in these companies, whoever changed the rules
        for company in companies.sudo():
            partners = self.env["res.partner"].sudo().with_company(company)
            customers = partners.search(
                expression.AND([self._customer_domain(company), [("logistics_grade", "!=", False)]]), order="id"
            )
            for batch in split_every(batch_size, customers.ids, partners.browse):
                self._grade(batch, company)

    @api.model
    @tools.ormcache()
    def _has_several_companies(self):
        """Whether the database has several companies (archived ones
        included): then a customer without a company is shared between them.
        Cached; creating a company clears the registry's caches."""
        # sudo: every company of the database, whatever the user may see
        return self.env["res.company"].sudo().with_context(active_test=False).search_count([], limit=2) > 1

    @api.model
    def _grade_explanation(self, partner):
        """Return why the computed grade of ``partner`` is what it is."""
        if partner.logistics_grade_rule_id:
            text = self.env._("Grading rule: %(rule)s", rule=partner.logistics_grade_rule_id.name)
        else:
            text = self.env._("No grading rule matched")
        if partner.logistics_grade_credit_demoted:
            credit = dict(partner._fields["logistics_credit_status"]._description_selection(self.env))
            text = self.env._(
                "%(text)s; lowered one step for credit status %(credit)s",
                text=text,
                credit=credit.get(partner.logistics_credit_status),
            )
        return text

    @api.model
    def _log_grade_changes(self, partners, old_grades, override_removed=False):
        """Record every change of effective grade of ``partners`` (in the
        company of their environment) against ``old_grades`` ({partner id:
        grade}): one grade history entry per partner, in that company, and,
        where every user who sees the customer sees that company's grade (the
        customer belongs to it, or the database has a single company), one
        chatter note with the tracked change; all created in batch."""
        changed = partners.filtered(lambda p: p.logistics_grade != old_grades.get(p.id))
        if not changed:
            return
        company = partners.env.company
        user = self.env.user
        history_vals = []
        for partner in changed:
            if partner.logistics_grade_override:
                origin = "override"
                reason = self.env._("Manual override: %(reason)s", reason=partner.logistics_grade_override_reason)
            else:
                origin = "computed"
                reason = self._grade_explanation(partner)
                if override_removed:
                    reason = self.env._("Override removed; %(reason)s", reason=reason)
            history_vals.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "old_grade": old_grades.get(partner.id) or False,
                    "new_grade": partner.logistics_grade or False,
                    "origin": origin,
                    "reason": reason,
                    "user_id": user.id,
                }
            )
        # sudo: the grade history and its chatter notes are an audit trail that
        # only the system writes; users can read them but never create them.
        histories = self.env["logistics.grade.history"].sudo().create(history_vals)
        several_companies = self._has_several_companies()
        noted = histories.filtered(lambda history: not several_companies or history.partner_id.company_id == company)
        self._post_grade_notes(noted)

    @api.model
    def _post_grade_notes(self, histories):
        """Post one chatter note with the tracked grade change per history
        entry, in batch (``message_post`` would cost a dozen queries each)."""
        if not histories:
            return
        partners = histories.partner_id
        user = self.env.user
        col_info = partners.fields_get(["logistics_grade"])["logistics_grade"]
        tracking_model = self.env["mail.tracking.value"].sudo()
        note_subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        # what mail.message.create() would otherwise compute message by message
        email_from = user.partner_id.email_formatted
        reply_to = partners._notify_get_reply_to(default=email_from)
        message_vals = []
        tracking_vals = []
        for history in histories:
            partner = history.partner_id
            message_vals.append(
                {
                    "model": partner._name,
                    "res_id": partner.id,
                    "message_type": "notification",
                    "subtype_id": note_subtype_id,
                    "is_internal": True,
                    "author_id": user.partner_id.id,
                    "email_from": email_from,
                    "reply_to": reply_to[partner.id],
                    "record_name": partner.display_name,
                    "body": Markup("<p>%s</p>") % history.reason,
                }
            )
            tracking_vals.append(
                tracking_model._create_tracking_values(
                    history.old_grade, history.new_grade, "logistics_grade", col_info, partner
                )
            )
        messages = self.env["mail.message"].sudo().create(message_vals)
        # the tracked values of all the notes in one batch (mail.message.create()
        # would create them note by note)
        tracking_model.create(
            [dict(vals, mail_message_id=message.id) for message, vals in zip(messages, tracking_vals, strict=True)]
        )

    @api.model
    def _cron_grade(self, batch_size=1000):
        """Nightly grading, one batch per call over every company: customers
        not graded today in a company, by company then id. What is done is
        marked with today's date (per company), so a rerun after an
        interruption resumes where it stopped; any other date, past or
        future, is due. The cron framework calls again while
        :meth:`_notify_progress` reports work remaining."""
        today = self._today()
        # sudo: the nightly grading covers every customer of every company
        Partner = self.env["res.partner"].sudo()
        done = 0
        remaining = 0
        for company in self.env["res.company"].sudo().search([], order="id"):
            domain = expression.AND([self._customer_domain(company), [("logistics_grade_date", "!=", today)]])
            partners = Partner.with_company(company)
            if done < batch_size:
                batch = partners.search(domain, limit=batch_size - done, order="id")
                # grading marks the batch graded today
                self._grade(batch, company)
                done += len(batch)
                if done < batch_size:
                    continue
            remaining += partners.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
