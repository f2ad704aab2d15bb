"""The portal of complaints through real HTTP requests, as two portal users
of different customers: list, open, reply and file; every attempt on the
other's records by guessed id is refused without revealing anything."""

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged


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
