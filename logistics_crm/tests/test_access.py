"""Access beyond the role table: the forms as a plain user and as a
specialist, what a duplicate carries, the effects of a supervisor's changes,
the size refreshed whoever classifies, grading rules as an administrator, and
multi-company visibility. Who may do what, role by role, is declared in
``access_matrix.py`` and checked by ``test_access_matrix.py``."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ADMIN, SPECIALIST, LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestAccess(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Graded Customer")
        cls._create_orders(cls.customer, [20000.0])
        cls.history = cls.env["logistics.grade.history"].search([("partner_id", "=", cls.customer.id)])
        cls.logistics_users = cls.user_specialist | cls.user_supervisor | cls.user_manager | cls.user_admin

    def setUp(self):
        super().setUp()
        self.assertEqual(self.customer.logistics_grade, "C")
        self.assertEqual(len(self.history), 1)

    # ------------------------------------------------------------------
    # res.partner
    # ------------------------------------------------------------------

    def test_partner_internal_user_plain_contact(self):
        """A user without a Logistics CRM role creates contacts as usual: they
        get the credit status every customer starts with."""
        contact = self.env["res.partner"].with_user(self.user_internal).create({"name": "Plain contact"})
        self.assertEqual(contact.logistics_credit_status, "good")

    def test_partner_internal_user_ui(self):
        """The partner form hides the logistics page from plain users, and
        creating a contact through it sends no logistics value."""
        with Form(self.env["res.partner"].with_user(self.user_internal)) as form:
            form.name = "Form contact"
        self.assertEqual(form.record.name, "Form contact")
        self.assertEqual(form.record.create_uid, self.user_internal)

    def test_partner_specialist(self):
        for user in self.logistics_users:
            with self.subTest(user=user.login):
                customer = self.customer.with_user(user)
                customer.write({"logistics_customer_type": "government", "logistics_region_tier": "tier_2"})
                customer.logistics_size = "national"
                self.assertRecordValues(
                    self.customer,
                    [
                        {
                            "logistics_customer_type": "government",
                            "logistics_region_tier": "tier_2",
                            "logistics_size": "national",
                        }
                    ],
                )
                customer.write({"logistics_customer_type": "enterprise", "logistics_region_tier": False})
                self.assertEqual(self.customer.logistics_size, "small")
                new_customer = (
                    self.env["res.partner"]
                    .with_user(user)
                    .create(
                        {
                            "name": f"New customer of {user.login}",
                            "is_company": True,
                            "logistics_customer_type": "individual",
                        }
                    )
                )
                self.assertEqual(new_customer.logistics_size, "occasional")

    def test_partner_specialist_ui(self):
        """A specialist classifies a new customer through the partner form."""
        with Form(self.env["res.partner"].with_user(self.user_specialist)) as form:
            form.company_type = "company"
            form.name = "Form customer"
            form.logistics_customer_type = "government"
            form.logistics_government_level = "city"
            form.logistics_region_tier = "rural"
        self.assertRecordValues(
            form.record,
            [
                {
                    "logistics_customer_type": "government",
                    "logistics_size": "city",
                    "logistics_region_tier": "rural",
                    "logistics_credit_status": "good",
                }
            ],
        )

    def test_partner_supervisor(self):
        for user in self.user_supervisor | self.user_manager | self.user_admin:
            with self.subTest(user=user.login):
                customer = self.customer.with_user(user)
                customer.logistics_credit_status = "blocked"
                customer.write({"logistics_grade_override": "B", "logistics_grade_override_reason": "Key account"})
                self.assertEqual(self.customer.logistics_grade, "B")
                customer.write({"logistics_grade_override": False, "logistics_credit_status": "good"})
                self.assertEqual(self.customer.logistics_grade, "C")
                self.assertTrue(customer.logistics_is_supervisor)
        self.assertFalse(self.customer.with_user(self.user_specialist).logistics_is_supervisor)
        self.assertFalse(self.customer.with_user(self.user_internal).logistics_is_supervisor)

    def test_partner_duplicate(self):
        """Any user who may edit contacts may duplicate one; the duplicate
        carries the logistics values that user may set, and no figures."""
        self.customer.write({"logistics_credit_status": "poor", "logistics_region_tier": "tier_1"})
        expected = {
            self.user_internal: (False, False, "good"),
            self.user_specialist: ("enterprise", "tier_1", "good"),
            self.user_supervisor: ("enterprise", "tier_1", "poor"),
            self.user_admin: ("enterprise", "tier_1", "poor"),
        }
        for user, (customer_type, region_tier, credit_status) in expected.items():
            with self.subTest(user=user.login):
                copy = self.customer.with_user(user).copy()
                self.assertRecordValues(
                    copy,
                    [
                        {
                            "name": "Graded Customer (copy)",
                            "logistics_customer_type": customer_type,
                            "logistics_region_tier": region_tier,
                            "logistics_credit_status": credit_status,
                            "logistics_grade": False,
                            "logistics_annual_spend": 0.0,
                            "logistics_grade_rule_id": False,
                        }
                    ],
                )
                self.assertFalse(self._histories(copy))
        # asking for a value the user may not set is still refused
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_specialist).copy({"logistics_credit_status": "watch"})

    # ------------------------------------------------------------------
    # logistics.grade.rule
    # ------------------------------------------------------------------

    def _rule_values(self):
        return {"name": "E: test rule", "grade": "B", "min_annual_spend": 250000.0, "sequence": 15}

    def test_grade_rule_admin(self):
        rules = self.env["logistics.grade.rule"].with_user(self.user_admin)
        rule = rules.create(self._rule_values())
        self.assertEqual(rule.currency_id, self.company.currency_id)
        rule.write({"min_annual_spend": 300000.0, "grade": "A"})
        self.rule_d.with_user(self.user_admin).write({"name": "D: the rest"})
        self.assertEqual(rules.search([]), self.rule_a | rule | self.rule_b | self.rule_c | self.rule_d)
        rule.unlink()
        self.assertFalse(rule.exists())


@tagged("post_install", "-at_install")
class TestMultiCompanyAccess(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_a, company_b = cls.company, cls.company_b
        cls.user_a = new_test_user(
            cls.env,
            "lcrm_admin_a",
            groups=ADMIN,
            company_id=company_a.id,
            company_ids=[Command.set(company_a.ids)],
        )
        cls.user_b = new_test_user(
            cls.env,
            "lcrm_specialist_b",
            groups=SPECIALIST,
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        cls.user_ab = new_test_user(
            cls.env,
            "lcrm_specialist_ab",
            groups=SPECIALIST,
            company_id=company_a.id,
            company_ids=[Command.set((company_a | company_b).ids)],
        )
        cls.rule_of_b = cls.env["logistics.grade.rule"].create(
            {"name": "B: company B from 50,000", "grade": "B", "min_annual_spend": 50000.0, "company_id": company_b.id}
        )
        cls.rule_of_a = cls.env["logistics.grade.rule"].create(
            {"name": "B: company A from 60,000", "grade": "B", "min_annual_spend": 60000.0, "company_id": company_a.id}
        )
        cls.level_of_b = cls.env["logistics.service.level"].create(
            {"name": "Key account of B", "grade": "A", "company_id": company_b.id}
        )
        cls.customer_a = cls._create_customer("Customer A", company_id=company_a.id)
        cls.customer_b = cls._create_customer("Customer B", company_id=company_b.id)
        (cls.customer_a | cls.customer_b).action_logistics_recompute_grade()
        cls.history_a = cls.env["logistics.grade.history"].search([("partner_id", "=", cls.customer_a.id)])
        cls.history_b = cls.env["logistics.grade.history"].search([("partner_id", "=", cls.customer_b.id)])

    def test_fixture(self):
        self.assertEqual(self.history_a.company_id, self.company)
        self.assertEqual(self.history_b.company_id, self.company_b)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_company_a_user(self):
        rules = self.env["logistics.grade.rule"].with_user(self.user_a)
        self.assertNotIn(self.rule_of_b, rules.search([]))
        self.assertIn(self.rule_of_a, rules.search([]))
        self.assertIn(self.rule_a, rules.search([]))
        with self.assertRaises(AccessError):
            self.rule_of_b.with_user(self.user_a).read(["name"])
        # even an administrator of company A cannot change a rule of company B
        with self.assertRaises(AccessError):
            self.rule_of_b.with_user(self.user_a).write({"min_annual_spend": 1.0})

        levels = self.env["logistics.service.level"].with_user(self.user_a).search([])
        self.assertNotIn(self.level_of_b, levels)
        self.assertEqual(levels.filtered(lambda lvl: lvl.grade == "A"), self.env.ref("logistics_crm.service_level_a"))
        with self.assertRaises(AccessError):
            self.level_of_b.with_user(self.user_a).read(["name"])

        histories = self.env["logistics.grade.history"].with_user(self.user_a).search([])
        self.assertIn(self.history_a, histories)
        self.assertNotIn(self.history_b, histories)
        with self.assertRaises(AccessError):
            self.history_b.with_user(self.user_a).read(["new_grade"])

    def test_company_b_user(self):
        rules = self.env["logistics.grade.rule"].with_user(self.user_b).search([])
        self.assertIn(self.rule_of_b, rules)
        self.assertNotIn(self.rule_of_a, rules)
        self.assertIn(self.level_of_b, self.env["logistics.service.level"].with_user(self.user_b).search([]))
        histories = self.env["logistics.grade.history"].with_user(self.user_b).search([])
        self.assertIn(self.history_b, histories)
        self.assertNotIn(self.history_a, histories)
        self.assertEqual(self.history_b.with_user(self.user_b).new_grade, "D")

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_user_of_both_companies(self):
        env_ab = self.env(user=self.user_ab)
        self.assertIn(self.rule_of_b, env_ab["logistics.grade.rule"].search([]))
        self.assertIn(self.rule_of_a, env_ab["logistics.grade.rule"].search([]))
        self.assertIn(self.level_of_b, env_ab["logistics.service.level"].search([]))
        self.assertIn(self.history_b, env_ab["logistics.grade.history"].search([]))
        # with company A alone enabled, company B's records are hidden again
        env_a = env_ab(context=dict(env_ab.context, allowed_company_ids=self.company.ids))
        self.assertNotIn(self.rule_of_b, env_a["logistics.grade.rule"].search([]))
        self.assertNotIn(self.level_of_b, env_a["logistics.service.level"].search([]))
        self.assertNotIn(self.history_b, env_a["logistics.grade.history"].search([]))
        self.assertIn(self.history_a, env_a["logistics.grade.history"].search([]))

    def test_rules_and_levels_apply_in_their_company(self):
        self._create_orders(self.customer_a, [55000.0])
        self._create_orders(self.customer_b, [55000.0])
        self.assertEqual((self.customer_a.logistics_grade, self.customer_a.logistics_grade_rule_id), ("C", self.rule_c))
        # a customer of company B is graded, and seen, in company B
        customer_b = self.customer_b.with_company(self.company_b)
        self.assertEqual((customer_b.logistics_grade, customer_b.logistics_grade_rule_id), ("B", self.rule_of_b))
        customer_b.write({"logistics_grade_override": "A", "logistics_grade_override_reason": "Group account"})
        self.assertEqual(customer_b.logistics_service_level_id, self.level_of_b)
        self.customer_a.write({"logistics_grade_override": "A", "logistics_grade_override_reason": "Group account"})
        self.assertEqual(self.customer_a.logistics_service_level_id, self.env.ref("logistics_crm.service_level_a"))
