"""Who may do what: logistics fields of customers, grading rules, service
levels and grade history, for every role; multi-company visibility."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ADMIN, SPECIALIST, LogisticsCrmCommon

SYSTEM_VALUES = {
    "logistics_annual_spend": 1000000.0,
    "logistics_monthly_orders": 10.0,
    "logistics_grade_computed": "A",
    "logistics_grade_credit_demoted": True,
    "logistics_grade_date": "2024-01-01",
}


@tagged("post_install", "-at_install")
class TestAccess(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Graded Customer")
        cls._create_orders(cls.customer, [20000.0])
        cls.history = cls.env["logistics.grade.history"].search([("partner_id", "=", cls.customer.id)])
        cls.level_a = cls.env.ref("logistics_crm.service_level_a")
        cls.all_users = (
            cls.user_internal | cls.user_specialist | cls.user_supervisor | cls.user_manager | cls.user_admin
        )
        cls.logistics_users = cls.all_users - cls.user_internal

    def setUp(self):
        super().setUp()
        self.assertEqual(self.customer.logistics_grade, "C")
        self.assertEqual(len(self.history), 1)

    # ------------------------------------------------------------------
    # res.partner
    # ------------------------------------------------------------------

    @mute_logger("odoo.models")
    def test_partner_internal_user(self):
        customer = self.customer.with_user(self.user_internal)
        # the ACL lets this user edit contacts: only the logistics fields are refused
        customer.write({"name": "Renamed Customer", "phone": "+32 2 555 00 00"})
        self.assertEqual(self.customer.name, "Renamed Customer")
        for values in (
            {"logistics_customer_type": "individual"},
            {"logistics_region_tier": "tier_1"},
            {"logistics_size": "large"},
            {"logistics_credit_status": "poor"},
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Because"},
            {"logistics_grade_override_reason": "Because"},
            *({fname: value} for fname, value in SYSTEM_VALUES.items()),
            {"logistics_grade_rule_id": self.rule_a.id},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                customer.write(values)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_internal).create(
                {"name": "New", "is_company": True, "logistics_customer_type": "enterprise"}
            )
        with self.assertRaises(AccessError):
            customer.action_logistics_recompute_grade()
        # a contact without logistics values is created as usual
        contact = self.env["res.partner"].with_user(self.user_internal).create({"name": "Plain contact"})
        self.assertEqual(contact.logistics_credit_status, "good")
        self.assertRecordValues(
            self.customer,
            [
                {
                    "logistics_customer_type": "enterprise",
                    "logistics_credit_status": "good",
                    "logistics_grade_override": False,
                    "logistics_grade": "C",
                    "logistics_annual_spend": 20000.0,
                }
            ],
        )

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
                # any logistics user may recompute a grade
                self.assertTrue(customer.action_logistics_recompute_grade())
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
            form.logistics_size = "city"
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

    @mute_logger("odoo.models")
    def test_partner_specialist_refused(self):
        customer = self.customer.with_user(self.user_specialist)
        for values in (
            {"logistics_credit_status": "poor"},
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Because"},
            {"logistics_grade_override_reason": "Because"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                customer.write(values)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_specialist).create(
                {"name": "New", "logistics_credit_status": "watch"}
            )
        self.assertEqual(self.customer.logistics_credit_status, "good")
        self.assertFalse(self.customer.logistics_grade_override)

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

    @mute_logger("odoo.models")
    def test_partner_system_fields(self):
        """Figures and computed grades are never typed in, whatever the role."""
        for user in self.all_users:
            for fname, value in (*SYSTEM_VALUES.items(), ("logistics_grade_rule_id", self.rule_a.id)):
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    self.customer.with_user(user).write({fname: value})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).create({"name": "New", "logistics_annual_spend": 10.0})
        self.assertRecordValues(
            self.customer,
            [
                {
                    "logistics_annual_spend": 20000.0,
                    "logistics_grade_computed": "C",
                    "logistics_grade_rule_id": self.rule_c.id,
                    "logistics_grade_date": False,
                }
            ],
        )

    @mute_logger("odoo.models")
    def test_partner_effective_grade_not_writable(self):
        """The effective grade is the override or the computed grade: it cannot
        be written directly, which would bypass the history."""
        for user in self.all_users:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).write({"logistics_grade": "A"})
        self.assertEqual(self.customer.logistics_grade, "C")
        self.assertEqual(len(self._histories(self.customer)), 1)

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

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_grade_rule_refused(self):
        for user in self.all_users - self.user_admin:
            rules = self.env["logistics.grade.rule"].with_user(user)
            rule = self.rule_a.with_user(user)
            with self.subTest(user=user.login, op="create"), self.assertRaises(AccessError):
                rules.create(self._rule_values())
            with self.subTest(user=user.login, op="write"), self.assertRaises(AccessError):
                rule.write({"min_annual_spend": 1.0})
            with self.subTest(user=user.login, op="unlink"), self.assertRaises(AccessError):
                rule.unlink()
        with self.assertRaises(AccessError):
            self.env["logistics.grade.rule"].with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            self.rule_a.with_user(self.user_internal).read(["name"])
        self.assertEqual(self.rule_a.min_annual_spend, 500000.0)

    def test_grade_rule_read(self):
        all_rules = self.rule_a | self.rule_b | self.rule_c | self.rule_d
        for user in self.logistics_users:
            with self.subTest(user=user.login):
                rules = self.env["logistics.grade.rule"].with_user(user).search([])
                self.assertEqual(rules, all_rules)
                self.assertEqual(rules.mapped("grade"), ["A", "B", "C", "D"])

    def test_grade_rule_admin(self):
        rules = self.env["logistics.grade.rule"].with_user(self.user_admin)
        rule = rules.create(self._rule_values())
        self.assertEqual(rule.currency_id, self.company.currency_id)
        rule.write({"min_annual_spend": 300000.0, "grade": "A"})
        self.rule_d.with_user(self.user_admin).write({"name": "D: the rest"})
        self.assertEqual(rules.search([]), self.rule_a | rule | self.rule_b | self.rule_c | self.rule_d)
        rule.unlink()
        self.assertFalse(rule.exists())

    # ------------------------------------------------------------------
    # logistics.service.level
    # ------------------------------------------------------------------

    def test_service_level_read(self):
        for user in self.all_users:
            with self.subTest(user=user.login):
                levels = self.env["logistics.service.level"].with_user(user).search([])
                self.assertEqual(levels.mapped("grade"), ["A", "B", "C", "D"])
                self.assertEqual(self.level_a.with_user(user).read(["resolution_hours"])[0]["resolution_hours"], 24)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_service_level_refused(self):
        for user in self.all_users - self.user_admin:
            with self.subTest(user=user.login, op="create"), self.assertRaises(AccessError):
                self.env["logistics.service.level"].with_user(user).create(
                    {"name": "Own level", "grade": "A", "company_id": self.company.id}
                )
            with self.subTest(user=user.login, op="write"), self.assertRaises(AccessError):
                self.level_a.with_user(user).write({"visit_interval_days": 7})
            with self.subTest(user=user.login, op="unlink"), self.assertRaises(AccessError):
                self.level_a.with_user(user).unlink()
        self.assertEqual(self.level_a.visit_interval_days, 90)

    def test_service_level_admin(self):
        levels = self.env["logistics.service.level"].with_user(self.user_admin)
        level = levels.create({"name": "Own key account", "grade": "A", "company_id": self.company.id})
        level.write({"visit_interval_days": 30, "first_response_hours": 1, "resolution_hours": 8})
        self.level_a.with_user(self.user_admin).write({"visit_interval_days": 60})
        self.assertEqual(self.level_a.visit_interval_days, 60)
        self.assertEqual(self.customer.with_user(self.user_admin).logistics_service_level_id.grade, "C")
        level.unlink()
        self.assertFalse(level.exists())

    # ------------------------------------------------------------------
    # logistics.grade.history
    # ------------------------------------------------------------------

    def test_grade_history_read(self):
        for user in self.logistics_users:
            with self.subTest(user=user.login):
                history = (
                    self.env["logistics.grade.history"].with_user(user).search([("partner_id", "=", self.customer.id)])
                )
                self.assertEqual(history, self.history)
                self.assertEqual(history.new_grade, "C")
                self.assertEqual(self.customer.with_user(user).logistics_grade_history_ids, self.history)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_grade_history_refused(self):
        values = {"partner_id": self.customer.id, "old_grade": "C", "new_grade": "A", "origin": "override"}
        for user in self.all_users:
            history = self.history.with_user(user)
            with self.subTest(user=user.login, op="create"), self.assertRaises(AccessError):
                self.env["logistics.grade.history"].with_user(user).create(values)
            with self.subTest(user=user.login, op="write"), self.assertRaises(AccessError):
                history.write({"new_grade": "A"})
            with self.subTest(user=user.login, op="unlink"), self.assertRaises(AccessError):
                history.unlink()
        with self.assertRaises(AccessError):
            self.env["logistics.grade.history"].with_user(self.user_internal).search([])
        self.assertEqual(self.history.new_grade, "C")
        self.assertTrue(self.history.exists())


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
