"""Non-finite numbers sent over JSON-RPC are refused, as a client sees it.

Python's json module, on both ends, reads and writes the tokens ``NaN`` and
``Infinity`` that strict JSON does not have: a client can therefore send them
to the web client's routes. They must come back as a ValidationError, and
nothing must be stored (a stored NaN made every form that shows the value
answer with invalid JSON). Like test_jsonrpc.py, this file is not part of an
Odoo module: pytest imports it and pytest-odoo serves the database over HTTP.
"""

import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException, get_db_name
from odoo.tools import mute_logger

ADMIN = "logistics_crm.group_logistics_crm_admin"
PASSWORD = "Rpc-Pa55word!"


def strict_json(text):
    """Parse ``text`` as strict JSON (no NaN, Infinity or -Infinity)."""

    def refuse(token):
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


@tagged("post_install", "-at_install")
class TestJsonRpcValidation(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = get_db_name()
        # settings (company thresholds) and the module's configuration
        cls.admin = new_test_user(
            cls.env, "rpc_validation_admin", groups=f"base.group_system,{ADMIN}", password=PASSWORD
        )
        cls.company = cls.admin.company_id
        cls.level = cls.env["logistics.service.level"].create(
            {
                "name": "RPC level",
                "grade": "A",
                "company_id": cls.company.id,
                "first_response_hours": 2.0,
                "resolution_hours": 24.0,
            }
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

    def _read_strict(self, model, record_id, fname):
        """Read one field over the session, parsing the answer as strict JSON."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/read",
            json.dumps(
                {
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": model, "method": "read", "args": [[record_id], [fname]], "kwargs": {}},
                }
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        [values] = strict_json(response.text)["result"]
        return values[fname]

    @mute_logger("odoo.http")
    def test_non_finite_refused_over_web_session(self):
        self._session_login(self.admin)
        cases = [
            ("logistics.service.level", self.level.id, "resolution_hours", 24.0),
            ("res.company", self.company.id, "logistics_large_spend", self.company.logistics_large_spend),
        ]
        for model, record_id, fname, old in cases:
            for value in (float("nan"), float("inf")):
                with self.subTest(model=model, field=fname, value=value):
                    with self.assertRaises(JsonRpcException) as refused:
                        self._call_kw(model, "write", [[record_id], {fname: value}])
                    self.assertEqual(str(refused.exception), "odoo.exceptions.ValidationError")
                    self.assertEqual(self._read_strict(model, record_id, fname), old)
