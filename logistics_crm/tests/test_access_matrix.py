"""The role table, checked row by row: every operation of every row of
``access_matrix.ROWS``, performed as a real user of every role, is allowed
exactly for the row's lowest role and the roles above it.

Each operation runs in a savepoint that is rolled back afterwards, so every
check starts from the same customers, rules, levels and history. An operation
is allowed when it raises no AccessError and its effect is in the database
(the value stored, the record created or deleted, the grade recomputed, the
field or menu shown); it is refused when it raises an AccessError and changed
nothing (or when the field or menu is not shown). Anything else (another
exception, an AccessError after a change, a success without effect) is
reported as a problem of that row and role.
"""

from contextlib import contextmanager
from datetime import date

from lxml import etree

from odoo import Command, models
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .access_matrix import CONTACT_CREATION, KINDS, ROLE_GROUPS, ROLES, ROWS, allowed_roles
from .common import LogisticsCrmCommon

# a value of each system field that differs from the customer's own
SYSTEM_VALUES = {
    "logistics_annual_spend": 1000000.0,
    "logistics_monthly_orders": 10.0,
    "logistics_grade_computed": "A",
    "logistics_grade_credit_demoted": True,
    "logistics_grade": "A",
    "logistics_grade_date": "2024-01-01",
    "logistics_csat": 50.0,
    "logistics_nps": -20.0,
    "logistics_survey_response_rate": 75.0,
    "logistics_survey_count": 4,
    "logistics_delivery_count": 12,
    "logistics_on_time_rate": 90.0,
    "logistics_in_full_rate": 80.0,
    "logistics_otif_rate": 75.0,
    "logistics_lead_time_days": 2.5,
    "logistics_complaint_rate": 10.0,
    "logistics_damage_loss_rate": 5.0,
    "logistics_last_order_date": "2024-02-01",
    "logistics_rfm_recency": 3,
    "logistics_rfm_frequency": 4,
    "logistics_rfm_monetary": 5,
    "logistics_rfm_segment": "loyal",
    "logistics_churn_risk": True,
    "logistics_churn_reason": "spend",
    "logistics_health_score": 66.0,
    "logistics_last_visit_date": "2024-03-01",
    "logistics_welcomed_date": "2024-03-02 10:00:00",
}


def _normalized(field, value):
    """``value`` of ``field`` as it is written: ids for relations, ISO dates."""
    if field.type == "many2one":
        return value.id
    if isinstance(value, models.BaseModel):
        return value.ids
    if isinstance(value, date):
        return value.isoformat()
    return value


@tagged("post_install", "-at_install")
class TestAccessMatrix(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a graded customer (C, rule C, with one grade history entry), a
        # government customer, a customer with an override, and a quotation
        cls.customer = cls._create_customer("Matrix Customer")
        cls._create_orders(cls.customer, [20000.0])
        cls.government = cls._create_customer("Matrix Ministry", "government", logistics_size="city")
        cls.overridden = cls._create_customer(
            "Matrix Key Account", logistics_grade_override="B", logistics_grade_override_reason="Group account"
        )
        cls.order = cls.env["sale.order"].create({"partner_id": cls.customer.id, "user_id": False})
        cls.history = cls.env["logistics.grade.history"].search([("partner_id", "=", cls.customer.id)])
        # configuration records that nothing uses, to edit and delete
        cls.spare_rule = cls.env["logistics.grade.rule"].create(
            {"name": "Spare rule", "grade": "A", "min_annual_spend": 9000000.0, "sequence": 99, "active": False}
        )
        cls.spare_level = cls.env["logistics.service.level"].create(
            {"name": "Spare level", "grade": "B", "company_id": cls.company.id, "active": False}
        )
        cls.level_a = cls.env.ref("logistics_crm.service_level_a")
        # a complaint of the customer owned by another specialist, and
        # complaint categories and causes that nothing uses
        cls.complaint_owner = new_test_user(
            cls.env,
            "matrix_complaint_owner",
            groups=ROLE_GROUPS["specialist"],
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.complaint = cls.env["logistics.complaint"].create(
            {"partner_id": cls.customer.id, "user_id": cls.complaint_owner.id}
        )
        # its line in the complaint analysis (a view: nobody writes it)
        cls.complaint_line = cls.env["logistics.complaint.report"].browse(cls.complaint.id)
        cls.category = cls.env.ref("logistics_crm.complaint_category_delay")
        cls.spare_category = cls.env["logistics.complaint.category"].create({"name": "Spare category"})
        cls.cause = cls.env.ref("logistics_crm.complaint_cause_service_quality")
        cls.spare_cause = cls.env["logistics.complaint.cause"].create({"name": "Spare cause"})
        cls.care_date = cls.env["logistics.care.date"].create(
            {"partner_id": cls.customer.id, "name": "Founding day", "kind": "anniversary", "date": "2001-05-20"}
        )
        cls.spare_care_date = cls.env["logistics.care.date"].create(
            {"partner_id": cls.customer.id, "name": "Spare day", "date": "2001-06-20"}
        )
        goods = cls.env["product.product"].create({"name": "Matrix pallet", "type": "consu"})
        delivered = cls.env["sale.order"].create(
            {"partner_id": cls.customer.id, "order_line": [Command.create({"product_id": goods.id, "price_unit": 0.0})]}
        )
        delivered.action_confirm()
        delivered.picking_ids.move_ids.write({"quantity": 1, "picked": True})
        delivered.picking_ids.button_validate()
        cls.delivery_line = cls.env["logistics.delivery.report"].browse(delivered.picking_ids.id)
        cls.env["logistics.access.log"]._logistics_log("export", "res.partner", 7, ["logistics_grade"])
        cls.access_entry = cls.env["logistics.access.log"].search([("record_count", "=", 7)], limit=1)
        cls.winback = cls.env["logistics.winback"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date": "2026-01-05 10:00:00",
                "action": "call",
                "reactivated_rate": 0.0,
            }
        )
        cls.cx_report = cls.env["logistics.cx.report"]._logistics_generate(cls.company, "2026-01-01")
        cls.cx_line = cls.cx_report.trend_line_ids[:1]
        cls.tier = cls.env.ref("logistics_crm.loyalty_tier_gold")
        cls.spare_tier = cls.env["logistics.loyalty.tier"].create({"name": "Spare tier", "threshold": 123456})
        # a satisfaction survey of the customer, recorded as the system does
        cls.survey = (
            cls.env["logistics.survey"]
            ._logistics_system_writer()
            .create(
                {
                    "company_id": cls.company.id,
                    "partner_id": cls.customer.id,
                    "state": "answered",
                    "csat_score": 4,
                    "nps_score": 9,
                    "nps_category": "promoter",
                }
            )
        )

        # one user per role and per set of extra groups a row asks for
        cls.matrix_users = {}
        for extra_groups in {variant for row in ROWS for variant in row.variants}:
            for role in ROLES:
                login = "_".join(["matrix", role, *(xmlid.split(".")[1] for xmlid in extra_groups)])
                cls.matrix_users[role, extra_groups] = new_test_user(
                    cls.env,
                    login,
                    groups=",".join([ROLE_GROUPS[role], *extra_groups]),
                    company_id=cls.company.id,
                    company_ids=[Command.set(cls.company.ids)],
                )

    def setUp(self):
        super().setUp()
        self.assertRecordValues(
            self.customer | self.government | self.overridden,
            [
                {"logistics_grade": "C", "logistics_grade_rule_id": self.rule_c.id, "logistics_size": "small"},
                {"logistics_grade": False, "logistics_grade_rule_id": False, "logistics_size": "city"},
                {"logistics_grade": "B", "logistics_grade_rule_id": False, "logistics_size": "small"},
            ],
        )
        self.assertEqual(len(self.history), 1)

    # ------------------------------------------------------------------
    # the matrix
    # ------------------------------------------------------------------

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule", "odoo.models")
    def test_matrix(self):
        subtests = 0
        for row in ROWS:
            allowed = allowed_roles(row)
            for role in ROLES:
                with self.subTest(row=row.label, role=role):
                    subtests += 1
                    checked, problems = self._check(row, role, role in allowed)
                    self.assertTrue(checked, "no operation checked")
                    self.assertFalse(problems, "\n".join(problems))
        self.assertEqual(subtests, len(ROWS) * len(ROLES), "every row is checked for every role")

    def _check(self, row, role, expected):
        """Perform every operation of ``row`` as ``role`` (with each variant
        of extra groups); return the number of operations checked and the
        problems found."""
        checked, problems = 0, []
        for extra_groups in row.variants:
            user = self.matrix_users[role, extra_groups]
            for operation in row.operations:
                for what, attempt in self._attempts(row, operation):
                    checked += 1
                    where = f"{user.login}: {operation} {what}"
                    try:
                        with self._undone():
                            allowed = attempt(user)
                    except AssertionError as error:
                        problems.append(f"{where}: {error}")
                        continue
                    except UserError as error:  # ValidationError, MissingError, an unexpected AccessError...
                        problems.append(f"{where}: raised {type(error).__name__}: {error}")
                        continue
                    if allowed != expected:
                        outcome = "allowed" if allowed else "refused"
                        problems.append(f"{where}: {outcome}, expected {'allowed' if expected else 'refused'}")
        return checked, problems

    @contextmanager
    def _undone(self):
        """Run the block in a savepoint and undo all it did (the transaction's
        caches included)."""
        savepoint = self.env.cr.savepoint()
        try:
            yield
        finally:
            savepoint.close(rollback=True)

    def _attempts(self, row, operation):
        """(what, attempt) for each target of ``row``: ``attempt(user)``
        performs ``operation`` as ``user`` and returns whether it was
        allowed, after checking the database agrees."""
        self.assertIn(operation, KINDS[row.kind])
        if row.kind == "field":
            model, fnames = row.target
            method = getattr(self, f"_attempt_field_{operation}")
            return [(f"{model}.{fname}", lambda user, f=fname: method(model, f, user)) for fname in fnames]
        if row.kind == "model":
            method = getattr(self, f"_attempt_model_{operation}")
            return [(model, lambda user, m=model: method(m, user)) for model in row.target]
        if row.kind == "menu":
            return [(xmlid, lambda user, x=xmlid: self._attempt_menu_see(x, user)) for xmlid in row.target]
        if row.kind == "action":
            model, method_name, list_view = row.target
            if model == "logistics.complaint":
                self.assertEqual(operation, "button", "complaints have no list button")
                return [(method_name, lambda user: self._attempt_compensation_decision(method_name, user))]
            if model == "logistics.loyalty.adjust":
                self.assertEqual(operation, "button", "the adjustment is a wizard")
                return [(method_name, self._attempt_loyalty_adjust)]
            self.assertEqual(model, "res.partner")
            if operation == "button":
                return [(method_name, lambda user: self._attempt_recompute_button(method_name, user))]
            return [(list_view, lambda user: self._attempt_recompute_list_button(list_view, method_name, user))]
        raise AssertionError(f"unknown kind {row.kind}")

    # ------------------------------------------------------------------
    # fields
    # ------------------------------------------------------------------

    def _stored(self, record, fnames):
        """The values of ``fnames`` of ``record`` in the database."""
        self.env.flush_all()
        self.env.invalidate_all()
        record = record.sudo()
        return {fname: _normalized(record._fields[fname], record[fname]) for fname in fnames}

    def _field_record(self, model):
        return {"res.partner": self.customer, "sale.order": self.order}[model]

    def _attempt_field_read(self, model, fname, user):
        record = self._field_record(model)
        try:
            values = record.with_user(user).read([fname])
        except AccessError:
            return False
        if fname != "logistics_is_supervisor":  # depends on the user reading
            self.assertEqual(values[0][fname], record.sudo().read([fname])[0][fname], "value read")
        if model == "sale.order":
            self.assertEqual(values[0][fname], "C", "the grade of the order's customer")
        return True

    def _attempt_field_form(self, model, fname, user):
        arch = self.env[model].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        return bool(etree.fromstring(arch).xpath(f"//field[@name='{fname}']"))

    def _field_write_case(self, fname):
        """(record, values): a valid change of ``fname``."""
        cases = {
            "name": (self.customer, {"name": "Renamed Customer"}),
            "phone": (self.customer, {"phone": "+32 2 555 00 00"}),
            "logistics_customer_type": (self.customer, {"logistics_customer_type": "individual"}),
            "logistics_region_tier": (self.customer, {"logistics_region_tier": "tier_1"}),
            "logistics_government_level": (self.government, {"logistics_government_level": "national"}),
            "logistics_size": (self.government, {"logistics_size": "national"}),
            "industry_id": (self.customer, {"industry_id": self.industry_ecommerce.id}),
            "logistics_credit_status": (self.customer, {"logistics_credit_status": "poor"}),
            "logistics_grade_override": (
                self.customer,
                {"logistics_grade_override": "A", "logistics_grade_override_reason": "Key account"},
            ),
            "logistics_grade_override_reason": (
                self.overridden,
                {"logistics_grade_override_reason": "Strategic account"},
            ),
            "logistics_grade_rule_id": (self.customer, {"logistics_grade_rule_id": self.rule_a.id}),
            **{field: (self.customer, {field: value}) for field, value in SYSTEM_VALUES.items()},
        }
        return cases[fname]

    def _attempt_field_write(self, model, fname, user):
        self.assertEqual(model, "res.partner")
        record, values = self._field_write_case(fname)
        before = self._stored(record, values)
        self.assertNotEqual(before, values, "the change changes something")
        try:
            record.with_user(user).write(values)
            self.env.flush_all()
        except AccessError:
            self.assertEqual(self._stored(record, values), before, "refused, yet stored")
            return False
        self.assertEqual(self._stored(record, values), values, "allowed, yet not stored")
        return True

    def _field_create_values(self, fname):
        """Valid values of a new customer with ``fname`` set."""
        values = {
            "logistics_customer_type": {"logistics_customer_type": "individual"},
            "logistics_region_tier": {"logistics_region_tier": "tier_1"},
            "logistics_government_level": {
                "logistics_customer_type": "government",
                "logistics_government_level": "provincial",
            },
            "logistics_size": {"logistics_customer_type": "government", "logistics_size": "provincial"},
            "logistics_credit_status": {"logistics_credit_status": "watch"},
            "logistics_grade_override": {
                "logistics_grade_override": "A",
                "logistics_grade_override_reason": "Key account",
            },
            "logistics_grade_override_reason": {"logistics_grade_override_reason": "Key account"},
            "logistics_grade_rule_id": {"logistics_grade_rule_id": self.rule_a.id},
            **{field: {field: value} for field, value in SYSTEM_VALUES.items()},
        }[fname]
        return {"name": f"New customer with {fname}", "is_company": True, **values}

    def _attempt_field_create(self, model, fname, user):
        self.assertEqual(model, "res.partner")
        values = self._field_create_values(fname)
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        try:
            partner = self.env["res.partner"].with_user(user).create(values)
            self.env.flush_all()
        except AccessError:
            self.env.invalidate_all()
            self.assertFalse(partners.search_count([("name", "=", values["name"])]), "refused, yet created")
            return False
        self.assertEqual(self._stored(partner, values), values, "allowed, yet not stored")
        return True

    # ------------------------------------------------------------------
    # models
    # ------------------------------------------------------------------

    def _model_cases(self, model):
        """(record to read, values of a new record, record to edit and its
        change, record to delete)"""
        return {
            "logistics.grade.rule": (
                self.rule_a,
                {"name": "E: matrix rule", "grade": "B", "min_annual_spend": 250000.0, "sequence": 15},
                (self.spare_rule, {"min_annual_spend": 400000.0}),
                self.spare_rule,
            ),
            "logistics.service.level": (
                self.level_a,
                {"name": "Matrix level", "grade": "C", "company_id": self.company.id},
                (self.spare_level, {"visit_interval_days": 7}),
                self.spare_level,
            ),
            "logistics.grade.history": (
                self.history,
                {"partner_id": self.customer.id, "old_grade": "C", "new_grade": "A", "origin": "override"},
                (self.history, {"new_grade": "A"}),
                self.history,
            ),
            "logistics.complaint": (
                self.complaint,
                {"partner_id": self.customer.id, "category_id": self.category.id, "severity": "high"},
                (self.complaint, {"severity": "critical"}),
                self.complaint,
            ),
            "logistics.complaint.report": (
                self.complaint_line,
                {"name": "Matrix line", "partner_id": self.customer.id},
                (self.complaint_line, {"severity": "critical"}),
                self.complaint_line,
            ),
            "logistics.complaint.category": (
                self.category,
                {"name": "Matrix category"},
                (self.spare_category, {"name": "Renamed category"}),
                self.spare_category,
            ),
            "logistics.survey": (
                self.survey,
                {"partner_id": self.customer.id, "company_id": self.company.id, "state": "sent"},
                (self.survey, {"csat_score": 1}),
                self.survey,
            ),
            "logistics.complaint.cause": (
                self.cause,
                {"name": "Matrix cause"},
                (self.spare_cause, {"name": "Renamed cause"}),
                self.spare_cause,
            ),
            "logistics.cx.report": (
                self.cx_report,
                {"company_id": self.company.id, "month": "2025-01-01"},
                (self.cx_report, {"csat": 12.5}),
                self.cx_report,
            ),
            "logistics.cx.report.line": (
                self.cx_line,
                {"report_id": self.cx_report.id, "kind": "trend", "name": "2025-02"},
                (self.cx_line, {"csat": 12.5}),
                self.cx_line,
            ),
            "logistics.winback": (
                self.winback,
                {"partner_id": self.customer.id, "company_id": self.company.id, "date": "2026-02-01", "action": "call"},
                (self.winback, {"action": "survey"}),
                self.winback,
            ),
            "logistics.access.log": (
                self.access_entry,
                {"operation": "export", "model": "res.partner", "record_count": 1},
                (self.access_entry, {"record_count": 0}),
                self.access_entry,
            ),
            "logistics.care.date": (
                self.care_date,
                {"partner_id": self.customer.id, "name": "Matrix birthday", "kind": "birthday", "date": "1980-01-02"},
                (self.care_date, {"name": "Founding anniversary"}),
                self.spare_care_date,
            ),
            "logistics.delivery.report": (
                self.delivery_line,
                {"name": "Matrix delivery", "partner_id": self.customer.id},
                (self.delivery_line, {"otif_rate": 0.0}),
                self.delivery_line,
            ),
            "logistics.loyalty.tier": (
                self.tier,
                {"name": "Matrix tier", "threshold": 654321, "multiplier": 2.0},
                (self.spare_tier, {"multiplier": 1.7}),
                self.spare_tier,
            ),
        }[model]

    def _attempt_model_read(self, model, user):
        # as the web client opens a record: the fields of its form view
        record = self._model_cases(model)[0]
        try:
            records = self.env[model].with_user(user)
            fnames = list(records.get_views([(False, "form")])["models"][model]["fields"])
            found = records.search([("id", "=", record.id)])
            values = found.read(fnames)
        except AccessError:
            return False
        self.assertEqual(found.ids, record.ids, "found")
        self.assertEqual([vals["id"] for vals in values], record.ids, "read")
        return True

    def _attempt_model_create(self, model, user):
        values = self._model_cases(model)[1]
        records = self.env[model].sudo().with_context(active_test=False)
        count = records.search_count([])
        try:
            record = self.env[model].with_user(user).create(values)
            self.env.flush_all()
        except AccessError:
            self.env.invalidate_all()
            self.assertEqual(records.search_count([]), count, "refused, yet created")
            return False
        self.assertEqual(self._stored(record, values), values, "allowed, yet not stored")
        return True

    def _attempt_model_write(self, model, user):
        record, values = self._model_cases(model)[2]
        before = self._stored(record, values)
        try:
            record.with_user(user).write(values)
            self.env.flush_all()
        except AccessError:
            self.assertEqual(self._stored(record, values), before, "refused, yet stored")
            return False
        self.assertEqual(self._stored(record, values), values, "allowed, yet not stored")
        return True

    def _attempt_model_unlink(self, model, user):
        record = self._model_cases(model)[3]
        try:
            record.with_user(user).unlink()
            self.env.flush_all()
        except AccessError:
            self.env.invalidate_all()
            self.assertTrue(record.sudo().exists(), "refused, yet deleted")
            return False
        self.env.invalidate_all()
        self.assertFalse(record.sudo().exists(), "allowed, yet not deleted")
        return True

    # ------------------------------------------------------------------
    # menus and actions
    # ------------------------------------------------------------------

    def _attempt_menu_see(self, xmlid, user):
        # the web client shows a menu when it and all its ancestors are visible
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        menu = self.env.ref(xmlid)
        shown = True
        while menu:
            shown = shown and menu.id in visible
            menu = menu.parent_id
        return shown

    def _make_grade_stale(self):
        """Forget what the confirmation of the customer's order computed (as
        the superuser, who may write system fields)."""
        self.customer.write({"logistics_annual_spend": 0.0, "logistics_grade_computed": "D", "logistics_grade": "D"})
        self.env.flush_all()

    def _recomputed(self):
        stored = self._stored(self.customer, ["logistics_annual_spend", "logistics_grade_computed", "logistics_grade"])
        if stored == {"logistics_annual_spend": 0.0, "logistics_grade_computed": "D", "logistics_grade": "D"}:
            return False
        self.assertEqual(
            stored,
            {"logistics_annual_spend": 20000.0, "logistics_grade_computed": "C", "logistics_grade": "C"},
            "the grade recomputed from the sales",
        )
        return True

    def _attempt_recompute_button(self, method_name, user):
        self._make_grade_stale()
        try:
            getattr(self.customer.with_user(user), method_name)()
            self.env.flush_all()
        except AccessError:
            self.assertFalse(self._recomputed(), "refused, yet recomputed")
            return False
        self.assertTrue(self._recomputed(), "allowed, yet not recomputed")
        return True

    def _attempt_loyalty_adjust(self, user):
        """Adjust the customer's points through the wizard, as the partner
        form's button opens it."""
        History = self.env["loyalty.history"].sudo()
        count = History.search_count([("logistics_kind", "=", "adjust")])
        try:
            wizard = (
                self.env["logistics.loyalty.adjust"]
                .with_user(user)
                .with_context(active_model="res.partner", active_id=self.customer.id)
                .create({"points": 10, "reason": "Matrix adjustment"})
            )
            wizard.action_apply()
            self.env.flush_all()
        except AccessError:
            self.assertEqual(History.search_count([("logistics_kind", "=", "adjust")]), count, "refused, yet posted")
            return False
        self.assertEqual(History.search_count([("logistics_kind", "=", "adjust")]), count + 1, "allowed, not posted")
        return True

    def _attempt_compensation_decision(self, method_name, user):
        """Approve or refuse a compensation above the discretion, as the
        complaint form's button does."""
        complaint = self.env["logistics.complaint"].create(
            {
                "partner_id": self.customer.id,
                "compensation_amount": self.env.company.logistics_compensation_fixed_limit + 1000.0,
                "compensation_kind": "refund",
            }
        )
        self.assertEqual(complaint.compensation_state, "to_approve")
        try:
            getattr(complaint.with_user(user), method_name)()
            self.env.flush_all()
        except AccessError:
            self.assertEqual(complaint.compensation_state, "to_approve", "refused, yet decided")
            return False
        self.assertIn(complaint.compensation_state, ("approved", "refused"), "allowed, yet not decided")
        return True

    def _attempt_recompute_list_button(self, view_xmlid, method_name, user):
        view = self.env.ref(view_xmlid)
        arch = self.env["res.partner"].with_user(user).get_views([(view.id, "list")])["views"]["list"]["arch"]
        shown = f'name="{method_name}"' in arch
        # the button calls the method on the selected records, as the form's does
        called = self._attempt_recompute_button(method_name, user)
        self.assertEqual(shown, called, "the list shows the button exactly to who may use it")
        return called

    # ------------------------------------------------------------------
    # the fixture and the declaration
    # ------------------------------------------------------------------

    def test_users(self):
        """Each user has its role and not the next one, and Contact Creation
        only where a row gives it."""
        for (role, extra_groups), user in self.matrix_users.items():
            with self.subTest(user=user.login):
                index = ROLES.index(role)
                self.assertTrue(user.has_group(ROLE_GROUPS[role]))
                if index + 1 < len(ROLES):
                    self.assertFalse(user.has_group(ROLE_GROUPS[ROLES[index + 1]]))
                self.assertEqual(user.has_group(CONTACT_CREATION), CONTACT_CREATION in extra_groups)
                self.assertFalse(user.share)

    def test_declaration_covers_the_module(self):
        """Every logistics field of customers, every menu and every model of
        the module is in the declaration, with every operation."""
        declared = {}
        for row in ROWS:
            if row.kind == "field":
                model, fnames = row.target
                for fname in fnames:
                    declared.setdefault((model, fname), set()).update(row.operations)
            elif row.kind == "model":
                for model in row.target:
                    declared.setdefault(model, set()).update(row.operations)
            elif row.kind == "menu":
                declared.update({xmlid: {"see"} for xmlid in row.target})
        partner_fields = [fname for fname in self.env["res.partner"]._fields if fname.startswith("logistics_")]
        for fname in partner_fields:
            self.assertIn("read", declared.get(("res.partner", fname), ()), f"reading res.partner.{fname}")
        for fname in self.env["res.partner"]._logistics_guarded_fields():
            self.assertIn("write", declared.get(("res.partner", fname), ()), f"writing res.partner.{fname}")
            self.assertIn("create", declared.get(("res.partner", fname), ()), f"creating with res.partner.{fname}")
        menus = self.env["ir.model.data"].search([("module", "=", "logistics_crm"), ("model", "=", "ir.ui.menu")])
        for data in menus:
            self.assertIn(data.complete_name, declared, "a menu of the module")
        models_data = self.env["ir.model.data"].search([("module", "=", "logistics_crm"), ("model", "=", "ir.model")])
        for model in self.env["ir.model"].browse(models_data.mapped("res_id")).mapped("model"):
            # wizards (transient) are declared by the action that runs them
            if (
                self.env[model]._original_module != "logistics_crm"
                or self.env[model]._abstract
                or self.env[model]._transient
            ):
                continue
            self.assertEqual(declared.get(model), set(KINDS["model"]), f"the operations on {model}")
