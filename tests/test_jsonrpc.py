"""The grading rights hold over JSON-RPC, as an integration sees them.

This directory is not an Odoo module: pytest imports this file as a plain
module (``test_jsonrpc``), and pytest-odoo, started with ``--odoo-http`` by
scripts/test, serves the database over HTTP for the duration of the run. The
test case therefore takes everything from ``odoo.tests`` and creates its own
users, customer and order (no demo data). It is tagged like the module's
tests; Odoo's test framework needs the tags to set the class up.
"""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException, get_db_name
from odoo.tools import mute_logger

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
SUPERVISOR = "logistics_crm.group_logistics_crm_supervisor"
PASSWORD = "Rpc-Pa55word!"
FIGURES = [
    "logistics_grade",
    "logistics_grade_computed",
    "logistics_annual_spend",
    "logistics_monthly_orders",
    "logistics_grade_override",
]


@tagged("post_install", "-at_install")
class TestJsonRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = get_db_name()
        cls.specialist = new_test_user(cls.env, "rpc_specialist", groups=SPECIALIST, password=PASSWORD)
        cls.supervisor = new_test_user(cls.env, "rpc_supervisor", groups=SUPERVISOR, password=PASSWORD)
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Customer", "is_company": True, "logistics_customer_type": "enterprise"}
        )
        product = cls.env["product.product"].create(
            {"name": "Express parcel", "type": "service", "taxes_id": [Command.clear()]}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 250000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()

    def setUp(self):
        super().setUp()
        self.assertEqual(self.customer.logistics_grade, "B")

    # ------------------------------------------------------------------
    # helpers: the external API (/jsonrpc) and the web client's (session)
    # ------------------------------------------------------------------

    def _login(self, user):
        uid = self.make_jsonrpc_request(
            "/jsonrpc",
            {"service": "common", "method": "authenticate", "args": [self.db, user.login, PASSWORD, {}]},
        )
        self.assertEqual(uid, user.id)
        return uid

    def _execute_kw(self, uid, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [self.db, uid, PASSWORD, model, method, args, kwargs or {}],
            },
        )

    def _session_login(self, user):
        result = self.make_jsonrpc_request(
            "/web/session/authenticate", {"db": self.db, "login": user.login, "password": PASSWORD}
        )
        self.assertEqual(result["uid"], user.id)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    # ------------------------------------------------------------------

    def test_wrong_password(self):
        uid = self.make_jsonrpc_request(
            "/jsonrpc",
            {"service": "common", "method": "authenticate", "args": [self.db, self.supervisor.login, "wrong", {}]},
        )
        self.assertFalse(uid)

    def test_figures_readable(self):
        uid = self._login(self.specialist)
        [values] = self._execute_kw(uid, "res.partner", "read", [[self.customer.id], FIGURES])
        self.assertEqual(
            values,
            {
                "id": self.customer.id,
                "logistics_grade": "B",
                "logistics_grade_computed": "B",
                "logistics_annual_spend": 250000.0,
                "logistics_monthly_orders": 0.08,
                "logistics_grade_override": False,
            },
        )
        history = self._execute_kw(
            uid,
            "logistics.grade.history",
            "search_read",
            [[("partner_id", "=", self.customer.id)]],
            {"fields": ["old_grade", "new_grade", "origin"]},
        )
        self.assertEqual([(h["old_grade"], h["new_grade"], h["origin"]) for h in history], [(False, "B", "computed")])

    @mute_logger("odoo.http")
    def test_override_over_jsonrpc(self):
        override = {"logistics_grade_override": "A", "logistics_grade_override_reason": "Signed framework deal"}

        uid = self._login(self.specialist)
        with self.assertRaises(JsonRpcException) as refused:
            self._execute_kw(uid, "res.partner", "write", [[self.customer.id], override])
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        # nor can anyone type in a figure or a grade over RPC
        with self.assertRaises(JsonRpcException) as refused:
            self._execute_kw(uid, "res.partner", "write", [[self.customer.id], {"logistics_grade": "A"}])
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.logistics_grade, "B")
        self.assertFalse(self.customer.logistics_grade_override)

        uid = self._login(self.supervisor)
        self.assertIs(self._execute_kw(uid, "res.partner", "write", [[self.customer.id], override]), True)
        [values] = self._execute_kw(uid, "res.partner", "read", [[self.customer.id], FIGURES])
        self.assertEqual(
            (values["logistics_grade"], values["logistics_grade_computed"], values["logistics_grade_override"]),
            ("A", "B", "A"),
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.logistics_grade, "A")
        last = self.env["logistics.grade.history"].search([("partner_id", "=", self.customer.id)], limit=1)
        self.assertRecordValues(
            last,
            [
                {
                    "old_grade": "B",
                    "new_grade": "A",
                    "origin": "override",
                    "reason": "Manual override: Signed framework deal",
                    "user_id": self.supervisor.id,
                }
            ],
        )

    @mute_logger("odoo.http")
    def test_override_without_reason_over_jsonrpc(self):
        uid = self._login(self.supervisor)
        with self.assertRaises(JsonRpcException) as refused:
            self._execute_kw(uid, "res.partner", "write", [[self.customer.id], {"logistics_grade_override": "A"}])
        self.assertEqual(str(refused.exception), "odoo.exceptions.ValidationError")
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.logistics_grade_override)

    @mute_logger("odoo.http")
    def test_override_over_web_session(self):
        """The same rights through the web client's routes."""
        override = {"logistics_grade_override": "C", "logistics_grade_override_reason": "Late payments"}
        self._session_login(self.specialist)
        [values] = self._call_kw("res.partner", "read", [[self.customer.id], FIGURES])
        self.assertEqual((values["logistics_grade"], values["logistics_annual_spend"]), ("B", 250000.0))
        with self.assertRaises(JsonRpcException) as refused:
            self._call_kw("res.partner", "write", [[self.customer.id], override])
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        result = self._call_kw("res.partner", "action_logistics_recompute_grade", [[self.customer.id]])
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["message"], "0 of 1 customers regraded; the others did not change.")

        self._session_login(self.supervisor)
        self.assertIs(self._call_kw("res.partner", "write", [[self.customer.id], override]), True)
        self.customer.invalidate_recordset()
        self.assertEqual((self.customer.logistics_grade, self.customer.logistics_grade_computed), ("C", "B"))
