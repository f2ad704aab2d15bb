"""Attacks on the Logistics CRM rights over JSON-RPC, as a client can send them.

Each test states how the module must hold against one kind of request that a
form never sends but any JSON-RPC client can: forged context defaults and user
defaults, internal context switches, reading fields beyond one's role, writes
beyond one's role or on the wrong partner, unusual search operators, actions
on records that are not customers, deleting the audit trail. A refusal must be
a clean Odoo error; where the request may be accepted, the test reads back as
superuser what was stored.

Like test_jsonrpc.py, this is a plain pytest file run by scripts/test with an
HTTP server (pytest-odoo ``--odoo-http``), with its own users, customer and
order (no demo data).
"""

from jsonrpc_common import PASSWORD, JsonRpcMixin

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
SUPERVISOR = "logistics_crm.group_logistics_crm_supervisor"
ADMIN = "logistics_crm.group_logistics_crm_admin"
CONTACT_CREATION = "base.group_partner_manager"
VAT = "BE0477472701"

# Forged values of the fields no role types in (figures, grades) and of the
# supervisor's fields: neither `plain` nor `specialist` may store them.
FORGED = {
    "logistics_grade": "A",
    "logistics_grade_computed": "A",
    "logistics_annual_spend": 1e6,
    "logistics_monthly_orders": 50,
    "logistics_grade_date": "2999-12-31",
    "logistics_grade_credit_demoted": True,
    "logistics_grade_override": "A",
    "logistics_grade_override_reason": "forged",
    "logistics_credit_status": "blocked",
}
# ... and of the specialist's fields, which `plain` may not store either.
FORGED_CLASSIFICATION = {"logistics_customer_type": "enterprise", "logistics_size": "large"}
# What a partner created by such a user holds.
CLEAN = {
    "logistics_grade": False,
    "logistics_grade_computed": False,
    "logistics_grade_override": False,
    "logistics_grade_override_reason": False,
    "logistics_grade_rule_id": False,
    "logistics_grade_date": False,
    "logistics_annual_spend": 0.0,
    "logistics_monthly_orders": 0.0,
    "logistics_grade_credit_demoted": False,
    "logistics_credit_status": "good",
}
CLEAN_CLASSIFICATION = {"logistics_customer_type": False, "logistics_size": False}
# The ways a client creates a partner, and where each returns the new id.
NEW_ID = {
    "create": lambda result: result,
    "name_create": lambda result: result[0],
    "load": lambda result: result["ids"][0],
    "web_save": lambda result: result[0]["id"],
}
# Fields of a customer that neither a portal user nor a salesperson may read.
INTERNAL_FIELDS = [
    "logistics_credit_status",
    "logistics_annual_spend",
    "logistics_grade",
    "logistics_grade_override_reason",
    "logistics_first_response_hours",
]


@tagged("post_install", "-at_install")
class TestJsonRpcHardening(JsonRpcMixin, HttpCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups):
            return new_test_user(cls.env, f"hardening_{login}", groups=groups, password=PASSWORD)

        cls.plain = user("plain", f"base.group_user,{CONTACT_CREATION}")
        cls.salesman = user("salesman", "sales_team.group_sale_salesman")
        cls.specialist = user("specialist", f"{SPECIALIST},{CONTACT_CREATION}")
        cls.specialist_nocreate = user("specialist_nocreate", SPECIALIST)
        cls.supervisor = user("supervisor", f"{SUPERVISOR},{CONTACT_CREATION}")
        cls.admin = user("admin", f"base.group_system,{ADMIN},{CONTACT_CREATION}")
        cls.portal = user("portal", "base.group_portal")

        cls.customer = cls.env["res.partner"].create(
            {"name": "Hardening Customer", "is_company": True, "logistics_customer_type": "enterprise"}
        )
        # the customer's one contact is the portal user
        cls.contact = cls.portal.partner_id
        cls.contact.parent_id = cls.customer
        product = cls.env["product.product"].create(
            {"name": "Express parcel", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 50000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        cls.order.action_confirm()
        cls.level_c = cls.env.ref("logistics_crm.service_level_c")

    def setUp(self):
        super().setUp()
        self.assertEqual(self.contact.commercial_partner_id, self.customer)
        self.assertEqual((self.customer.logistics_grade, self.customer.logistics_size), ("C", "small"))
        self.assertFalse(self.contact.logistics_grade)
        self.assertEqual(self.level_c.grade, "C")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _stored(self, partner, fnames):
        """What the database holds for ``partner`` (read as superuser), as
        plain values (ids for many2one fields)."""
        self.env.invalidate_all()
        values = partner.read(list(fnames), load=None)[0]
        return {fname: values[fname] for fname in fnames}

    def _histories(self, partners):
        return self.env["logistics.grade.history"].search([("partner_id", "in", partners.ids)])

    def _create_partner_through(self, path, user, name, context):
        """Create a partner ``name`` as ``user`` through ``path`` (a key of
        NEW_ID) with ``context``; return the new partner, or None when the
        call was refused with a clean Odoo error."""
        if path == "web_save":
            self._session_login(user)
            kwargs = {"specification": {"display_name": {}}, "context": context}
            result = self._unless_refused(self._call_kw, "res.partner", path, [[], {"name": name}], kwargs)
        else:
            args = {"create": [{"name": name}], "name_create": [name], "load": [["name"], [[name]]]}[path]
            uid = self._login(user)
            result = self._unless_refused(self._execute_kw, uid, "res.partner", path, args, {"context": context})
        if path == "load" and result and not result["ids"]:
            # load() reports its errors instead of raising them
            self.assertTrue([m for m in result["messages"] if m["type"] == "error"], result)
            return None
        if result is None:
            return None
        partner = self.env["res.partner"].browse(NEW_ID[path](result))
        self.assertEqual(partner.name, name)
        return partner

    # ------------------------------------------------------------------
    # 1-2. forged defaults
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_forged_context_defaults(self):
        """No context default_<field> stores a figure, grade or a field beyond the creator's role, through
        create, name_create, load or web_save.
        """
        rule_a = self.env.ref("logistics_crm.grade_rule_a")
        for user, forged, clean in (
            (self.plain, {**FORGED, **FORGED_CLASSIFICATION}, {**CLEAN, **CLEAN_CLASSIFICATION}),
            (self.specialist, FORGED, CLEAN),
        ):
            context = {f"default_{fname}": value for fname, value in forged.items()}
            context["default_logistics_grade_rule_id"] = rule_a.id
            for path in ("create", "name_create", "load", "web_save"):
                with self.subTest(user=user.login, path=path):
                    partner = self._create_partner_through(path, user, f"Forged {user.login} {path}", context)
                    if partner:
                        self.assertEqual(self._stored(partner, clean), clean)

    @mute_logger("odoo.http")
    def test_forged_user_defaults(self):
        """Nor does a user default (ir.default) a user sets for themselves."""
        uid = self._login(self.plain)
        for fname, value in (
            ("logistics_grade_computed", "A"),
            ("logistics_annual_spend", 1e6),
            ("logistics_credit_status", "blocked"),
        ):
            with self.subTest(field=fname):
                self._unless_refused(
                    self._execute_kw, uid, "ir.default", "set", ["res.partner", fname, value], {"user_id": True}
                )
        partner_id = self._execute_kw(uid, "res.partner", "create", [{"name": "Defaulted"}])
        partner = self.env["res.partner"].browse(partner_id)
        self.assertEqual(self._stored(partner, CLEAN), CLEAN)

    # ------------------------------------------------------------------
    # 3. internal switches
    # ------------------------------------------------------------------

    def test_batch_switch_from_client(self):
        """The grading's batch mode is not a context key a client can send: an override is logged and tracked,
        commercial fields reach the contacts.
        """
        batch = {"context": {"logistics_grade_batch": True}}
        with self.subTest("an override is logged"):
            self.assertFalse(self._histories(self.customer).filtered(lambda h: h.new_grade == "A"))
            uid = self._login(self.supervisor)
            override = {"logistics_grade_override": "A", "logistics_grade_override_reason": "Key account"}
            self.assertIs(self._execute_kw(uid, "res.partner", "write", [[self.customer.id], override], batch), True)
            self.env.invalidate_all()
            self.assertEqual(self.customer.logistics_grade, "A")
            self.assertTrue(
                self._histories(self.customer).filtered(lambda h: (h.new_grade, h.origin) == ("A", "override")),
                "the override must be in the grade history",
            )
            tracked = self.env["mail.tracking.value"].search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", self.customer.id),
                    ("field_id.name", "=", "logistics_grade"),
                    ("new_value_char", "=", "A"),
                ]
            )
            # a customer shared between companies has no per-company tracking
            # in its chatter (Odoo's demo data, for one, adds a second company)
            shared = not self.customer.company_id and self.env["logistics.grading"]._has_several_companies()
            if shared:
                self.assertFalse(tracked, "a shared customer's chatter tracks no per-company grade")
            else:
                self.assertTrue(tracked, "the override must be tracked in the chatter")

        with self.subTest("commercial fields reach the contacts"):
            self.assertFalse(self.contact.vat)
            uid = self._login(self.plain)
            self.assertIs(
                self._execute_kw(uid, "res.partner", "write", [[self.customer.id], {"vat": VAT}], batch), True
            )
            self.assertEqual(self._stored(self.contact, ["vat"]), {"vat": VAT})

    # ------------------------------------------------------------------
    # 4. who reads
    # ------------------------------------------------------------------

    def _assert_internal_fields_hidden(self, uid, partner):
        """As ``uid``, reading any of INTERNAL_FIELDS of ``partner`` is
        refused, and no logistics field is among the fields that ``read()``
        with no field list reads (``fields_get()`` lists exactly those)."""
        for fname in INTERNAL_FIELDS:
            with self.subTest(field=fname):
                self.assertRefused(
                    self._execute_kw,
                    uid,
                    "res.partner",
                    "read",
                    [[partner.id], [fname]],
                    allowed=("odoo.exceptions.AccessError",),
                )
        with self.subTest("fields_get"):
            readable = self._execute_kw(uid, "res.partner", "fields_get", [], {"attributes": ["type"]})
            self.assertIn("name", readable)
            self.assertEqual([fname for fname in readable if fname.startswith("logistics_")], [])

    @mute_logger("odoo.http")
    def test_who_reads(self):
        """Internal figures are not readable by portal users and salespeople, who still read the partner;
        service levels are for Logistics CRM users.
        """
        with self.subTest(user="portal"):
            # (core Odoo refuses a portal user read() with no field list on
            # res.partner whatever this module does: bank_ids needs read access
            # to res.partner.bank, then account.analytic.account...)
            self._assert_internal_fields_hidden(self._login(self.portal), self.customer)
        with self.subTest(user="salesman"):
            uid = self._login(self.salesman)
            self._assert_internal_fields_hidden(uid, self.customer)
            with self.subTest("read with no field list"):
                [values] = self._execute_kw(uid, "res.partner", "read", [[self.customer.id]])
                self.assertEqual((values["id"], values["name"]), (self.customer.id, self.customer.name))
                self.assertEqual([key for key in values if key.startswith("logistics_")], [])
            self.assertEqual(
                self._execute_kw(uid, "sale.order", "read", [[self.order.id], ["logistics_customer_grade"]]),
                [{"id": self.order.id, "logistics_customer_grade": "C"}],
            )
        with self.subTest("service levels"):
            levels = ("logistics.service.level", "search_read", [[]], {"fields": ["grade"]})
            found = self._execute_kw(self._login(self.specialist), *levels)
            self.assertEqual(sorted(level["grade"] for level in found), ["A", "B", "C", "D"])
            self.assertRefused(self._execute_kw, self._login(self.salesman), *levels)

    # ------------------------------------------------------------------
    # 5-7. who edits what
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_specialist_without_contact_creation(self):
        """The specialist role writes the classification, not the rest of a contact, and does not create
        contacts.
        """
        uid = self._login(self.specialist_nocreate)
        for vals in ({"logistics_customer_type": "government"}, {"logistics_region_tier": "tier_1"}):
            self.assertIs(self._execute_kw(uid, "res.partner", "write", [[self.customer.id], vals]), True)
        stored = ["logistics_customer_type", "logistics_region_tier", "email", "vat", "active"]
        before = {
            "logistics_customer_type": "government",
            "logistics_region_tier": "tier_1",
            "email": False,
            "vat": False,
            "active": True,
        }
        self.assertEqual(self._stored(self.customer, stored), before)
        for vals in (
            {"email": "x@example.com"},
            {"vat": VAT},
            {"active": False},
            {"logistics_region_tier": "tier_2", "email": "y@example.com"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(self._execute_kw, uid, "res.partner", "write", [[self.customer.id], vals])
                self.assertEqual(self._stored(self.customer, stored), before)
        with self.subTest("create"):
            self.assertRefused(self._execute_kw, uid, "res.partner", "create", [{"name": "Not created"}])
            self.assertFalse(self.env["res.partner"].search([("name", "=", "Not created")]))

    @mute_logger("odoo.http")
    def test_classification_on_commercial_entity_only(self):
        """Classification and credit live on the commercial entity, never on its contacts."""
        for user, vals in (
            (self.specialist, {"logistics_customer_type": "individual"}),
            (self.supervisor, {"logistics_credit_status": "poor"}),
        ):
            with self.subTest(user=user.login):
                self.assertRefused(
                    self._execute_kw, self._login(user), "res.partner", "write", [[self.contact.id], vals]
                )
        self.assertEqual(
            self._stored(self.contact, ["logistics_customer_type", "logistics_credit_status"]),
            {"logistics_customer_type": False, "logistics_credit_status": "good"},
        )
        with self.subTest("search"):
            graded = self._execute_kw(
                self._login(self.specialist), "res.partner", "search", [[("logistics_grade", "!=", False)]]
            )
            self.assertIn(self.customer.id, graded)
            self.assertNotIn(self.contact.id, graded)

    @mute_logger("odoo.http")
    def test_size_by_hand_for_government_only(self):
        """Only a government customer's size is set by hand; the others are computed."""
        uid = self._login(self.specialist)
        with self.subTest("enterprise"):
            self.assertRefused(
                self._execute_kw, uid, "res.partner", "write", [[self.customer.id], {"logistics_size": "large"}]
            )
            self.assertEqual(self._stored(self.customer, ["logistics_size"]), {"logistics_size": "small"})
        with self.subTest("government"):
            for vals in ({"logistics_customer_type": "government"}, {"logistics_size": "national"}):
                self.assertIs(self._execute_kw(uid, "res.partner", "write", [[self.customer.id], vals]), True)
            self.assertEqual(self._stored(self.customer, ["logistics_size"]), {"logistics_size": "national"})

    # ------------------------------------------------------------------
    # 8. searching by service level
    # ------------------------------------------------------------------

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_search_by_service_level(self):
        """The service level search supports =, !=, in, not in, ilike and False (None is False), and refuses
        the rest cleanly.
        """
        uid = self._login(self.specialist)

        def search(operator, value):
            return self._execute_kw(uid, "res.partner", "search", [[("logistics_service_level_id", operator, value)]])

        level_c = self.level_c.id
        name_c = "Regular customer (C)"
        for operator, value, customer_found in (
            ("=", level_c, True),
            ("!=", level_c, False),
            ("in", [level_c], True),
            ("not in", [level_c], False),
            ("in", [name_c], True),
            ("not in", [name_c], False),
            ("ilike", "Regular", True),
            ("=", False, False),
            ("!=", False, True),
        ):
            with self.subTest(operator=operator, value=value):
                found = search(operator, value)
                self.assertIsInstance(found, list)
                self.assertEqual(self.customer.id in found, customer_found)
        with self.subTest("= None is = False"):
            without_level = search("=", False)
            self.assertIn(self.contact.id, without_level)
            self.assertEqual(sorted(search("=", None)), sorted(without_level))
        for operator in ("child_of", "parent_of"):
            with self.subTest(operator=operator):
                self.assertRefused(search, operator, level_c)

    # ------------------------------------------------------------------
    # 9-10. grading and its audit trail
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_recompute_grades_only_customers(self):
        """Recomputing grades grades customers only, not users or the company."""
        not_customers = self.env.ref("base.partner_admin") | self.env.ref("base.main_partner")
        self.assertEqual(not_customers.mapped("logistics_grade"), [False, False])
        self.assertFalse(self._histories(not_customers))
        self._session_login(self.specialist)
        self._unless_refused(self._call_kw, "res.partner", "action_logistics_recompute_grade", [not_customers.ids])
        self.env.invalidate_all()
        self.assertEqual(not_customers.mapped("logistics_grade"), [False, False])
        self.assertFalse(self._histories(not_customers))

    @mute_logger("odoo.http")
    def test_unlink_keeps_grade_history(self):
        """The grade history, an audit trail, survives an attempt to delete its customer."""
        # graded, but without sale orders: those would block the deletion by
        # themselves, whatever the module does (sale_order.partner_id is
        # required, hence ondelete restrict)
        customer = self.env["res.partner"].create(
            {"name": "Hardening Short-lived", "is_company": True, "logistics_customer_type": "enterprise"}
        )
        customer._logistics_recompute_grades()
        self.assertEqual(customer.logistics_grade, "D")
        history = self._histories(customer)
        self.assertTrue(history)
        uid = self._login(self.admin)
        if self._unless_refused(self._execute_kw, uid, "res.partner", "unlink", [[customer.id]]) is not None:
            # accepted: then the customer may only have been archived
            self.env.invalidate_all()
            self.assertTrue(customer.exists(), "a customer with grade history must not be deleted")
            self.assertFalse(customer.active)
        self.env.invalidate_all()
        self.assertTrue(customer.exists())
        self.assertEqual(history.exists(), history)
