"""Helpers of the JSON-RPC tests: call the database the way an integration
does (``/jsonrpc``, ``execute_kw``) and the way the web client does (a session
from ``/web/session/authenticate``, then ``/web/dataset/call_kw``).

Not a test file: pytest (default ``prepend`` import mode, no ``__init__.py``
in this directory) puts this directory on ``sys.path``, so the test files
import it as ``jsonrpc_common``.
"""

import json

from odoo.tests.common import JsonRpcException, get_db_name

PASSWORD = "Rpc-Pa55word!"
# What a refused call may raise: Odoo's own errors, never a database or
# Python error (psycopg2..., builtins.ValueError) leaking to the client.
CLEAN_ERRORS = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
)


class JsonRpcMixin:
    """For ``HttpCase`` classes whose users were created with ``PASSWORD``."""

    def _jsonrpc(self, route, params):
        """``make_jsonrpc_request()``, but an error keeps its message: the
        ``JsonRpcException`` is the error's name (the class of the exception
        the server raised) with the server's message as a note."""
        response = self.url_open(
            route,
            json.dumps({"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}).encode(),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"]["data"]
            error = JsonRpcException(body["error"]["code"], data["name"])
            error.add_note(f"server said: {data['message']}")
            raise error
        return body["result"]

    def _login(self, user):
        """Authenticate ``user`` on the external API; return its uid."""
        uid = self._jsonrpc(
            "/jsonrpc",
            {"service": "common", "method": "authenticate", "args": [get_db_name(), user.login, PASSWORD, {}]},
        )
        self.assertEqual(uid, user.id)
        return uid

    def _execute_kw(self, uid, model, method, args, kwargs=None):
        return self._jsonrpc(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [get_db_name(), uid, PASSWORD, model, method, args, kwargs or {}],
            },
        )

    def _session_login(self, user):
        """Open a web client session as ``user`` (for :meth:`_call_kw`)."""
        result = self._jsonrpc(
            "/web/session/authenticate", {"db": get_db_name(), "login": user.login, "password": PASSWORD}
        )
        self.assertEqual(result["uid"], user.id)

    def _call_kw(self, model, method, args, kwargs=None):
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRefused(self, call, *args, allowed=CLEAN_ERRORS, **kwargs):
        """Assert that ``call(*args, **kwargs)`` fails with one of the Odoo
        errors ``allowed``; return the ``JsonRpcException``."""
        with self.assertRaises(JsonRpcException) as refused:
            call(*args, **kwargs)
        error = refused.exception
        self.assertIn(str(error), allowed, f"refused, but not with a clean Odoo error: {error.__notes__}")
        return error

    def _unless_refused(self, call, *args, **kwargs):
        """Return what ``call(*args, **kwargs)`` returns, or None when it was
        refused with a clean Odoo error (any other error fails the test)."""
        try:
            return call(*args, **kwargs)
        except JsonRpcException as error:
            self.assertIn(str(error), CLEAN_ERRORS, f"refused, but not with a clean Odoo error: {error.__notes__}")
            return None
