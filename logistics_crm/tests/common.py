"""Shared fixtures of the logistics_crm tests.

Nothing here relies on demo data: the users, customers, product and orders
are created by the tests themselves, and sale orders are real orders
confirmed with ``action_confirm``.
"""

import unittest
from contextlib import contextmanager

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon

SPECIALIST = "logistics_crm.group_logistics_crm_specialist"
SUPERVISOR = "logistics_crm.group_logistics_crm_supervisor"
MANAGER = "logistics_crm.group_logistics_crm_manager"
ADMIN = "logistics_crm.group_logistics_crm_admin"


class LogisticsCrmCommon(BaseCommon):
    """Users of every Logistics CRM role, a tax-free service product, and
    helpers to create customers and confirmed sale orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Logistics Company B"})
        # The defaults the tests are written against (they are the field defaults).
        cls.company.write(
            {
                "logistics_large_spend": 500000.0,
                "logistics_medium_spend": 100000.0,
                "logistics_frequent_orders": 3.0,
            }
        )

        user_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        # A plain internal user who may manage contacts (so the ACL lets them
        # write partners: what stops them is the module's own check).
        cls.user_internal = new_test_user(
            cls.env, "lcrm_internal", groups="base.group_user,base.group_partner_manager", **user_values
        )
        cls.user_specialist = new_test_user(
            cls.env, "lcrm_specialist", groups=f"{SPECIALIST},base.group_partner_manager", **user_values
        )
        cls.user_supervisor = new_test_user(
            cls.env, "lcrm_supervisor", groups=f"{SUPERVISOR},base.group_partner_manager", **user_values
        )
        cls.user_manager = new_test_user(
            cls.env, "lcrm_manager", groups=f"{MANAGER},base.group_partner_manager", **user_values
        )
        cls.user_admin = new_test_user(
            cls.env, "lcrm_admin", groups=f"{ADMIN},base.group_partner_manager", **user_values
        )
        cls.user_salesman = new_test_user(
            cls.env, "lcrm_salesman", groups="sales_team.group_sale_salesman", **user_values
        )

        cls.rule_a = cls.env.ref("logistics_crm.grade_rule_a")
        cls.rule_b = cls.env.ref("logistics_crm.grade_rule_b")
        cls.rule_c = cls.env.ref("logistics_crm.grade_rule_c")
        cls.rule_d = cls.env.ref("logistics_crm.grade_rule_d")
        cls.industry_ecommerce = cls.env.ref("logistics_crm.res_partner_industry_ecommerce")

        cls.product = cls.env["product.product"].create(
            {
                "name": "Freight forwarding",
                "type": "service",
                "list_price": 1.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _create_settings_user(cls, login, companies=None, extra_groups=()):
        """A Logistics CRM administrator who also has Odoo's Settings right
        (the company thresholds, the Settings screen), working in the main
        company and allowed in ``companies`` (default: the main one)."""
        return new_test_user(
            cls.env,
            login,
            groups=",".join(("base.group_system", *extra_groups, ADMIN)),
            company_id=cls.company.id,
            company_ids=[Command.set((companies or cls.company).ids)],
        )

    @classmethod
    def _create_customer(cls, name="Customer", customer_type="enterprise", **values):
        """Create a customer of the test company (unless ``company_id`` is
        given: False for a customer shared between companies, whose chatter
        every company sees and therefore holds no company's grade)."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "logistics_customer_type": customer_type,
                "company_id": cls.company.id,
                **values,
            }
        )

    @classmethod
    def _create_orders(cls, partner, amounts, confirm=True, user=None, company=None):
        """Create one order per amount for ``partner`` (one tax-free line at
        that unit price) in ``company`` (default: the partner's, else the
        current one), and confirm them all at once, as ``user`` if given;
        return the orders."""
        orders = cls.env["sale.order"].with_user(user or cls.env.user)
        company = company or partner.company_id
        if company:
            orders = orders.with_company(company)
        orders = orders.create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for amount in amounts
            ]
        )
        if confirm:
            orders.action_confirm()
        return orders

    @classmethod
    def _mark_customers_graded(cls, date):
        """Mark the customers the database already holds (demo data, other
        modules) as graded on ``date`` in every company, so that the nightly
        grading of that day leaves them out."""
        Grading = cls.env["logistics.grading"]
        for company in cls.env["res.company"].search([]):
            partners = cls.env["res.partner"].with_company(company)
            partners.search(Grading._customer_domain(company)).write({"logistics_grade_date": date})

    def _histories(self, partner):
        return self.env["logistics.grade.history"].search([("partner_id", "=", partner.id)], order="id")

    def _grade_messages(self, partner):
        """Chatter messages of ``partner`` that track a change of its grade."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("tracking_value_ids.field_id.name", "=", "logistics_grade"),
            ],
            order="id",
        )

    def assertGradeTracked(self, message, old, new):
        tracking = message.tracking_value_ids.filtered(lambda t: t.field_id.name == "logistics_grade")
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.old_value_char or False, old or False)
        self.assertEqual(tracking.new_value_char or False, new or False)

    @contextmanager
    def assertNoWrites(self):
        """Fail if the block (pending changes flushed) writes to the database."""
        queries = []
        with contextmanager(self._patchExecute)(queries):
            yield queries
        writes = [query for query in queries if query.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        self.assertFalse(writes, "no query should write to the database")


class LogisticsTourCase(HttpCase):
    """Browser tours that fail when they cannot run (Odoo reports such a tour
    as skipped, which would let a missing browser pass)."""

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        try:
            return super().start_tour(url_path, tour_name, step_delay=step_delay, **kwargs)
        except unittest.SkipTest as error:
            self.fail(f"the browser tour {tour_name} could not run: {error}")
