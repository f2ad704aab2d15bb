"""/my/loyalty over HTTP: each customer's portal users see their own card's
balance, tier, expiring points and ledger, never another customer's."""

import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLoyaltyPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Card = cls.env["loyalty.card"]
        cls.customer = {}
        for key, points in (("one", 12345), ("two", 678), ("none", 0)):
            customer = cls.env["res.partner"].create({"name": f"Loyal Portal {key}", "is_company": True})
            contact = cls.env["res.partner"].create({"name": f"Loyal Buyer {key}", "parent_id": customer.id})
            new_test_user(
                cls.env,
                f"lcrm_loyal_{key}",
                groups="base.group_portal",
                partner_id=contact.id,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            cls.customer[key] = customer
            if points:
                card = Card._logistics_cards(customer, cls.company)[customer.id]
                Card._logistics_post(
                    [
                        {
                            "card_id": card.id,
                            "logistics_kind": "earn",
                            "issued": points,
                            "description": f"Delivery WH/OUT/{key.upper()}",
                        }
                    ]
                )
                card._logistics_recompute_tiers()

    def test_own_card_only(self):
        self.authenticate("lcrm_loyal_one", "lcrm_loyal_one")
        page = self.url_open("/my/loyalty")
        self.assertEqual(page.status_code, 200)
        self.assertIn('o_logistics_loyalty_balance">12,345 points', page.text)
        self.assertIn('o_logistics_loyalty_tier">Gold', page.text)
        self.assertIn("WH/OUT/ONE", page.text)
        self.assertNotIn("WH/OUT/TWO", page.text)
        self.authenticate("lcrm_loyal_two", "lcrm_loyal_two")
        page = self.url_open("/my/loyalty")
        self.assertIn("WH/OUT/TWO", page.text)
        self.assertIn('o_logistics_loyalty_balance">678 points', page.text)
        self.assertNotIn("WH/OUT/ONE", page.text)
        # the ledger itself stays closed to portal users
        answer = self.url_open(
            "/web/dataset/call_kw/loyalty.history/search_read",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 0,
                    "params": {
                        "model": "loyalty.history",
                        "method": "search_read",
                        "args": [[]],
                        "kwargs": {"fields": ["description"]},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", answer)
        self.assertNotIn("WH/OUT", json.dumps(answer.get("result", "")))

    def test_counter_and_empty(self):
        self.authenticate("lcrm_loyal_two", "lcrm_loyal_two")
        answer = self.url_open(
            "/my/counters",
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 0, "params": {"counters": ["logistics_loyalty_points"]}}
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertEqual(answer["result"]["logistics_loyalty_points"], 678)
        self.authenticate("lcrm_loyal_none", "lcrm_loyal_none")
        page = self.url_open("/my/loyalty")
        self.assertEqual(page.status_code, 200)
        self.assertIn("no loyalty points yet", page.text)

    def test_anonymous(self):
        self.authenticate(None, None)
        response = self.url_open("/my/loyalty", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
