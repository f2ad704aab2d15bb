"""The portal of complaints through real HTTP requests, as two portal users
of different customers: list, open, reply and file; every attempt on the
other's records by guessed id is refused without revealing anything."""

import json
import re

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.logistics_crm.controllers.portal import PAGE_SIZE


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        goods = cls.env["product.product"].create({"name": "Crate", "type": "consu", "list_price": 5.0})
        cls.portal = {}
        cls.complaint = {}
        cls.picking = {}
        for key in ("one", "two"):
            customer = cls.env["res.partner"].create(
                {"name": f"Portal Customer {key}", "is_company": True, "email": f"{key}@customer.example.com"}
            )
            contact = cls.env["res.partner"].create(
                {"name": f"Buyer {key}", "parent_id": customer.id, "email": f"buyer.{key}@customer.example.com"}
            )
            cls.portal[key] = new_test_user(
                cls.env,
                f"lcrm_portal_{key}",
                groups="base.group_portal",
                partner_id=contact.id,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            order = cls.env["sale.order"].create(
                {"partner_id": customer.id, "order_line": [Command.create({"product_id": goods.id})]}
            )
            order.action_confirm()
            cls.picking[key] = order.picking_ids
            cls.complaint[key] = cls.env["logistics.complaint"].create(
                {"partner_id": customer.id, "summary": f"Late crate {key}", "picking_id": order.picking_ids.id}
            )

    def _rpc(self, route, params):
        """The JSON-RPC answer of ``route`` (its result, or its error)."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _call_kw(self, method, args):
        model = "logistics.complaint"
        return self._rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )

    def _listed(self, html):
        """The complaints a portal list page links to."""
        ids = {int(cid) for cid in re.findall(r'href="/my/complaints/(\d+)', html)}
        return self.env["logistics.complaint"].browse(sorted(ids))

    def test_list_and_open(self):
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint["one"].name, response.text)
        self.assertNotIn(self.complaint["two"].name, response.text)
        response = self.url_open(f"/my/complaints/{self.complaint['one'].id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Late crate one", response.text)
        self.assertIn("First response by", response.text)
        # the other customer's complaint, and one that does not exist: the same answer
        for complaint_id in (self.complaint["two"].id, self.complaint["two"].id + 1000):
            response = self.url_open(f"/my/complaints/{complaint_id}")
            self.assertTrue(response.url.endswith("/my"), response.url)
            self.assertNotIn("Late crate two", response.text)
        response = self.url_open("/my")
        self.assertIn("/my/complaints", response.text)

    def test_internal_fields_hidden(self):
        """Portal users read their complaints, without the internal fields."""
        complaint = self.complaint["one"].with_user(self.portal["one"])
        values = complaint.read()[0]
        self.assertEqual(values["name"], self.complaint["one"].name)
        for fname in (
            "compensation_amount",
            "compensation_limit",
            "compensation_state",
            "cause_id",
            "liable_party",
            "is_repeat",
            "sla_next_check",
        ):
            self.assertNotIn(fname, values)
        self.assertFalse(
            self.env["logistics.complaint"]
            .with_user(self.portal["one"])
            .search([("id", "=", self.complaint["two"].id)])
        )

    def test_reply(self):
        complaint = self.complaint["one"]
        complaint.action_acknowledge()
        complaint.action_start()
        complaint.action_wait()
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        post_data = {"body": "Photos of the crate", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"}
        self.make_jsonrpc_request(
            "/mail/message/post",
            {"thread_model": "logistics.complaint", "thread_id": complaint.id, "post_data": post_data},
        )
        self.env.invalidate_all()
        replies = complaint.message_ids.filtered(
            lambda m: m.author_id == self.portal["one"].partner_id and m.message_type == "comment"
        )
        self.assertEqual(len(replies), 1)
        self.assertIn("Photos of the crate", replies.body)
        self.assertEqual(complaint.state, "in_progress", "the customer's reply resumes it")
        self.assertFalse(complaint.waiting_since)
        # on the other customer's complaint: refused, nothing posted
        other = self.complaint["two"]
        before = len(other.message_ids)
        with self.assertRaises(Exception):  # noqa: B017 - the JSON-RPC error, whatever its class
            self.make_jsonrpc_request(
                "/mail/message/post",
                {"thread_model": "logistics.complaint", "thread_id": other.id, "post_data": post_data},
            )
        other.invalidate_recordset()
        self.assertEqual(len(other.message_ids), before)

    def test_file_new(self):
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.picking["one"].name, response.text)
        self.assertNotIn(self.picking["two"].name, response.text)
        Complaint = self.env["logistics.complaint"]
        count = Complaint.search_count([])
        values = {
            "csrf_token": http.Request.csrf_token(self),
            "summary": "Wrong crate",
            "description": "We got <b>someone else's</b> crate",
        }
        # another customer's delivery: refused, nothing created
        response = self.url_open("/my/complaints/new", data={**values, "picking_id": self.picking["two"].id})
        self.assertIn("Choose one of your own deliveries or orders", response.text)
        self.assertEqual(Complaint.search_count([]), count)
        # nothing to say: refused
        response = self.url_open(
            "/my/complaints/new",
            data={**values, "summary": "\u200b", "picking_id": self.picking["one"].id},
        )
        self.assertEqual(Complaint.search_count([]), count)
        response = self.url_open("/my/complaints/new", data={**values, "picking_id": self.picking["one"].id})
        self.assertEqual(response.status_code, 200)
        new = Complaint.search([], order="id desc", limit=1)
        self.assertTrue(response.url.endswith(f"/my/complaints/{new.id}"), response.url)
        self.assertRecordValues(
            new,
            [
                {
                    "channel": "portal",
                    "partner_id": self.portal["one"].partner_id.id,
                    "commercial_partner_id": self.portal["one"].partner_id.commercial_partner_id.id,
                    "picking_id": self.picking["one"].id,
                    "sale_order_id": self.picking["one"].sale_id.id,
                    "summary": "Wrong crate",
                    "state": "new",
                    "user_id": False,
                }
            ],
        )
        self.assertNotIn("<b>", new.description)
        self.assertIn("&lt;b&gt;", new.description)

    def test_detail_shows_order_and_chatter(self):
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        complaint = self.complaint["one"]
        response = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(complaint.picking_id.name, response.text)
        self.assertIn(complaint.sale_order_id.name, response.text)
        # the chatter the customer discusses the complaint in
        self.assertIn("o_portal_chatter", response.text)
        self.assertIn(f'data-res_id="{complaint.id}"', response.text)

    def test_home_counter_own_complaints_only(self):
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")

        def count():
            answer = self._rpc("/my/counters", {"counters": ["complaint_count"]})
            return answer["result"]["complaint_count"]

        self.assertEqual(count(), 1)
        # the other customer's new complaints are not counted, one's own are
        Complaint = self.env["logistics.complaint"]
        Complaint.create([{"partner_id": self.complaint["two"].partner_id.id, "summary": "Other"}] * 2)
        self.assertEqual(count(), 1)
        Complaint.create({"partner_id": self.portal["one"].partner_id.id, "summary": "Mine"})
        self.assertEqual(count(), 2)

    def test_pager(self):
        """More complaints than a page: the second page lists the oldest; no
        page lists the other customer's."""
        own = self.complaint["one"]
        extra = self.env["logistics.complaint"].create(
            [{"partner_id": own.partner_id.id, "summary": f"Late crate {i}"} for i in range(PAGE_SIZE)]
        )
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        first = self.url_open("/my/complaints")
        second = self.url_open("/my/complaints/page/2")
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertIn("/my/complaints/page/2", first.text)
        self.assertEqual(len(self._listed(first.text)), PAGE_SIZE)
        self.assertEqual(self._listed(second.text), own)
        self.assertEqual(self._listed(first.text) | self._listed(second.text), own | extra)
        for page in (first, second):
            self.assertNotIn(self.complaint["two"].name, page.text)

    def test_open_by_token_without_login(self):
        complaint = self.complaint["one"]
        complaint._portal_ensure_token()
        response = self.url_open(f"/my/complaints/{complaint.id}?access_token={complaint.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Late crate one", response.text)
        for url in (
            f"/my/complaints/{complaint.id}?access_token=not-the-token",
            f"/my/complaints/{complaint.id}",
            f"/my/complaints/{self.complaint['two'].id}?access_token={complaint.access_token}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertNotIn("Late crate", response.text)
                self.assertNotIn(f"/my/complaints/{complaint.id}", response.headers["Location"])

    def test_public_sees_nothing(self):
        for url in ("/my/complaints", "/my/complaints/new"):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])
        # logged in, the same pages open
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        for url in ("/my/complaints", "/my/complaints/new"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 200)

    @mute_logger("odoo.http")
    def test_internal_fields_over_rpc(self):
        """Over RPC, as the web client calls: a portal user reads their
        complaint without its internal fields, and may neither read those nor
        create or change complaints."""
        complaint = self.complaint["one"]
        complaint.write({"compensation_amount": 40.0, "compensation_kind": "refund"})
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        answer = self._call_kw("read", [complaint.ids])
        values = answer["result"][0]
        self.assertEqual(values["name"], complaint.name)
        self.assertEqual(values["summary"], "Late crate one")
        for fname in ("compensation_amount", "compensation_kind", "compensation_limit", "cause_id", "liable_party"):
            self.assertNotIn(fname, values)
        for method, args in (
            ("read", [complaint.ids, ["compensation_amount"]]),
            ("read", [self.complaint["two"].ids, ["name"]]),
            ("create", [{"partner_id": self.portal["one"].partner_id.id, "summary": "By RPC"}]),
            ("write", [complaint.ids, {"severity": "critical"}]),
            ("message_new", [{"email_from": "buyer.one@customer.example.com", "subject": "By RPC"}]),
        ):
            with self.subTest(method=method, args=args):
                answer = self._call_kw(method, args)
                self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError", answer)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.severity, "normal")
        self.assertFalse(self.env["logistics.complaint"].search([("summary", "=", "By RPC")]))

    def test_chatter_hides_internal_notes(self):
        complaint = self.complaint["one"]
        complaint.message_post(body="Blame the carrier", message_type="comment", subtype_xmlid="mail.mt_note")
        complaint.message_post(body="Your crate is on its way", message_type="comment", subtype_xmlid="mail.mt_comment")
        complaint.action_acknowledge()
        complaint.action_start()
        complaint.write(
            {
                "cause_id": self.env.ref("logistics_crm.complaint_cause_service_quality").id,
                "liable_party": "carrier",
                "corrective_action": "Redelivered",
            }
        )
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        answer = self._rpc(
            "/mail/chatter_fetch", {"thread_model": "logistics.complaint", "thread_id": complaint.id, "limit": 100}
        )
        bodies = " ".join(str(m["body"]) for m in answer["result"]["data"]["mail.message"])
        self.assertIn("Your crate is on its way", bodies)
        self.assertNotIn("Blame the carrier", bodies)
        self.assertNotIn("Service Quality", json.dumps(answer))
        # the other customer's chatter: nothing
        other = self.complaint["two"]
        other.message_post(body="Crate two is on its way", message_type="comment", subtype_xmlid="mail.mt_comment")
        answer = self._rpc(
            "/mail/chatter_fetch", {"thread_model": "logistics.complaint", "thread_id": other.id, "limit": 100}
        )
        self.assertNotIn("Crate two", json.dumps(answer))

    def test_file_against_order(self):
        """Filed against an order (no delivery): the order is the complaint's,
        and the acknowledgement reaches the contact who filed it."""
        self.company.email = "claims@logistics.example.com"
        order = self.picking["one"].sale_id
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        response = self.url_open("/my/complaints/new")
        self.assertIn(order.name, response.text)
        self.assertNotIn(self.picking["two"].sale_id.name, response.text)
        Complaint = self.env["logistics.complaint"]
        count = Complaint.search_count([])
        values = {"csrf_token": http.Request.csrf_token(self), "summary": "Short", "description": "One crate missing"}
        # the other customer's order, or none that exists: refused, nothing created
        for order_id in (self.picking["two"].sale_id.id, 999_999_999):
            with self.subTest(order_id=order_id):
                response = self.url_open("/my/complaints/new", data={**values, "sale_order_id": order_id})
                self.assertIn("Choose one of your own deliveries or orders", response.text)
                self.assertNotIn(self.picking["two"].sale_id.name, response.text)
        self.assertEqual(Complaint.search_count([]), count)
        response = self.url_open("/my/complaints/new", data={**values, "sale_order_id": order.id})
        new = Complaint.search([], order="id desc", limit=1)
        self.assertTrue(response.url.endswith(f"/my/complaints/{new.id}"), response.url)
        self.assertRecordValues(
            new,
            [
                {
                    "partner_id": self.portal["one"].partner_id.id,
                    "channel": "portal",
                    "sale_order_id": order.id,
                    "picking_id": False,
                }
            ],
        )
        ack = new.message_ids.filtered(lambda m: m.message_type == "auto_comment")
        self.assertEqual(len(ack), 1)
        self.assertIn(new.name, ack.subject)
        self.assertIn(self.portal["one"].partner_id, ack.notified_partner_ids)
        # from the company, not from the customer themselves
        self.assertEqual(ack.author_id, self.company.partner_id)
        self.assertEqual(ack.email_from, self.company.partner_id.email_formatted)

    def test_file_requires_a_document(self):
        self.authenticate("lcrm_portal_one", "lcrm_portal_one")
        Complaint = self.env["logistics.complaint"]
        count = Complaint.search_count([])
        response = self.url_open(
            "/my/complaints/new",
            data={"csrf_token": http.Request.csrf_token(self), "summary": "Late", "description": "Still late"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose the delivery or the order you complain about", response.text)
        # what was typed is kept
        self.assertIn("Still late", response.text)
        self.assertEqual(Complaint.search_count([]), count)
