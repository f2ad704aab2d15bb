"""Every path to the customer classification, not only the form: defaults
from the context and ir.default, import, copy, internal switches, contacts,
users' and companies' partners, bad values, searches and deletion."""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SPECIALIST, SUPERVISOR, LogisticsCrmCommon

FORGED_DEFAULTS = {
    "default_logistics_grade": "A",
    "default_logistics_grade_computed": "A",
    "default_logistics_annual_spend": 1000000.0,
    "default_logistics_monthly_orders": 50.0,
    "default_logistics_grade_date": "2999-12-31",
    "default_logistics_grade_credit_demoted": True,
    "default_logistics_grade_override": "A",
    "default_logistics_grade_override_reason": "forged",
    "default_logistics_credit_status": "blocked",
}
# what a partner holds when nobody forged anything
CLEAN = {
    "logistics_grade": False,
    "logistics_grade_computed": False,
    "logistics_annual_spend": 0.0,
    "logistics_monthly_orders": 0.0,
    "logistics_grade_date": False,
    "logistics_grade_credit_demoted": False,
    "logistics_grade_override": False,
    "logistics_grade_override_reason": False,
    "logistics_grade_rule_id": False,
    "logistics_credit_status": "good",
}


@tagged("post_install", "-at_install")
class TestForgedValues(LogisticsCrmCommon):
    def _assert_clean(self, partners, **expected):
        self.env.invalidate_all()
        for partner in partners:
            self.assertRecordValues(partner.sudo(), [dict(CLEAN, **expected)])

    def test_context_defaults_are_ignored_on_every_create_path(self):
        forged = dict(
            FORGED_DEFAULTS,
            default_logistics_grade_rule_id=self.rule_a.id,
            default_logistics_customer_type="enterprise",
            default_logistics_size="large",
        )
        for user, customer_type in ((self.user_internal, False), (self.user_specialist, "enterprise")):
            Partner = self.env["res.partner"].with_user(user).with_context(**forged)
            with self.subTest(user=user.login):
                created = Partner.create({"name": "Created", "is_company": True})
                named = Partner.browse(Partner.name_create("Name-created")[0])
                imported = Partner.browse(Partner.load(["name"], [["Imported"]])["ids"])
                with Form(Partner) as form:
                    form.name = "Through the form"
                self._assert_clean(created | named | imported | form.record, logistics_customer_type=customer_type)
                # the size follows the customer type, whatever the default said
                self.assertEqual(created.sudo().logistics_size, "small" if customer_type else False)

    def test_supervisor_context_defaults_within_the_role(self):
        Partner = self.env["res.partner"].with_user(self.user_supervisor)
        partner = Partner.with_context(
            default_logistics_credit_status="watch",
            default_logistics_grade_override="B",
            default_logistics_grade_override_reason="Framework contract",
            default_logistics_grade_computed="A",
        ).create({"name": "Supervised", "is_company": True})
        self.assertRecordValues(
            partner,
            [
                {
                    "logistics_credit_status": "watch",
                    "logistics_grade_override": "B",
                    "logistics_grade": "B",
                    "logistics_grade_computed": False,
                }
            ],
        )
        self.assertEqual(self._histories(partner).mapped("new_grade"), ["B"])

    @mute_logger("odoo.models")
    def test_user_defaults_cannot_be_saved(self):
        Default = self.env["ir.default"].with_user(self.user_specialist)
        for fname, value in (
            ("logistics_grade_computed", "A"),
            ("logistics_annual_spend", 1000000.0),
            ("logistics_grade_date", "2999-12-31"),
            ("logistics_credit_status", "blocked"),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                Default.set("res.partner", fname, value, user_id=True)
        # within the role, a user default is a user default
        Default.set("res.partner", "logistics_region_tier", "tier_2", user_id=True)
        partner = self.env["res.partner"].with_user(self.user_specialist).create({"name": "Tiered"})
        self.assertEqual(partner.logistics_region_tier, "tier_2")

    def test_default_saved_before_a_role_was_lost_is_ignored(self):
        # a default saved while the user was a supervisor
        self.env["ir.default"].set("res.partner", "logistics_credit_status", "blocked", user_id=self.user_specialist.id)
        partner = self.env["res.partner"].with_user(self.user_specialist).create({"name": "Not blocked"})
        self._assert_clean(partner)

    def test_copy_default_within_the_role_only(self):
        customer = self._create_customer("Original")
        self._create_orders(customer, [20000.0])
        with self.assertRaises(AccessError):
            customer.with_user(self.user_supervisor).copy({"logistics_grade_computed": "A"})
        copy = customer.with_user(self.user_supervisor).copy({"logistics_credit_status": "watch"})
        self._assert_clean(copy, logistics_credit_status="watch")

    def test_internal_switch_cannot_be_sent(self):
        customer = self._create_customer("Switch")
        self._create_orders(customer, [20000.0])
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": customer.id})
        customer.with_user(self.user_supervisor).with_context(logistics_grade_batch=True).write(
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Key account"}
        )
        self.assertEqual(customer.logistics_grade, "A")
        self.assertRecordValues(self._histories(customer)[-1], [{"new_grade": "A", "origin": "override"}])
        self.assertGradeTracked(self._grade_messages(customer)[-1], "C", "A")
        # nor does it stop Odoo's sync of commercial fields to the contacts
        customer.with_user(self.user_internal).with_context(logistics_grade_batch=True).write({"vat": "BE0477472701"})
        self.assertEqual(contact.vat, "BE0477472701")


@tagged("post_install", "-at_install")
class TestWhoGradedAndEdited(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Graded")
        cls._create_orders(cls.customer, [20000.0])
        cls.contact = cls.env["res.partner"].create(
            {"name": "Contact", "parent_id": cls.customer.id, "company_id": cls.company.id}
        )
        cls.user_classifier = new_test_user(
            cls.env,
            "lcrm_classifier",
            groups=SPECIALIST,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_specialist_without_contact_creation(self):
        customer = self.customer.with_user(self.user_classifier)
        customer.write({"logistics_customer_type": "government", "logistics_region_tier": "tier_1"})
        customer.write({"logistics_size": "city", "industry_id": self.industry_ecommerce.id})
        self.assertRecordValues(
            self.customer,
            [
                {
                    "logistics_customer_type": "government",
                    "logistics_region_tier": "tier_1",
                    "logistics_size": "city",
                    "industry_id": self.industry_ecommerce.id,
                }
            ],
        )
        for vals in (
            {"email": "someone@example.com"},
            {"vat": "BE0477472701"},
            {"active": False},
            {"logistics_region_tier": "tier_2", "email": "someone@example.com"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                customer.write(vals)
        self.assertRecordValues(self.customer, [{"email": False, "active": True, "logistics_region_tier": "tier_1"}])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_classifier).create({"name": "New"})
        # nor through another company's customer it may not see
        hidden = self._create_customer("Hidden", company_id=self.company_b.id)
        with mute_logger("odoo.addons.base.models.ir_rule"), self.assertRaises(AccessError):
            hidden.with_user(self.user_classifier).write({"logistics_region_tier": "rural"})

    def test_classification_belongs_to_the_commercial_entity(self):
        for user, vals in (
            (self.user_specialist, {"logistics_customer_type": "individual"}),
            (self.user_specialist, {"logistics_region_tier": "tier_1"}),
            (self.user_supervisor, {"logistics_credit_status": "poor"}),
            (self.user_supervisor, {"logistics_grade_override": "A", "logistics_grade_override_reason": "X"}),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.contact.with_user(user).write(vals)
        with self.assertRaises(ValidationError):
            self.env["res.partner"].with_user(self.user_specialist).create(
                {"name": "Classified contact", "parent_id": self.customer.id, "logistics_customer_type": "enterprise"}
            )
        self.assertFalse(self.contact.logistics_customer_type)
        # contacts are never graded customers
        self._create_orders(self.contact, [200000.0])
        self.assertEqual(self.customer.logistics_grade, "B")
        self.assertFalse(self.contact.logistics_grade)
        graded = self.env["res.partner"].with_user(self.user_specialist).search([("logistics_grade", "!=", False)])
        self.assertIn(self.customer, graded)
        self.assertNotIn(self.contact, graded)

    def test_computed_sizes_are_not_typed_in(self):
        for size in ("large", "medium", "small", "frequent", "occasional"):
            with self.subTest(size=size), self.assertRaises(ValidationError):
                self.customer.with_user(self.user_specialist).write({"logistics_size": size})
        self.assertEqual(self.customer.logistics_size, "small")

    def test_only_customers_are_graded(self):
        admin_partner = self.env.ref("base.partner_admin")
        company_partner = self.company.partner_id
        internal_partner = self.user_specialist.partner_id
        prospect = self.env["res.partner"].create({"name": "Prospect", "is_company": True})
        others = admin_partner | company_partner | internal_partner | prospect
        others.with_user(self.user_specialist).action_logistics_recompute_grade()
        self.env["logistics.grading"]._grade(others, self.company)
        self.assertEqual(others.mapped("logistics_grade"), [False] * 4)
        self.assertFalse(self.env["logistics.grade.history"].search([("partner_id", "in", others.ids)]))
        # even with orders, the company's own partner is not a customer
        self._create_orders(company_partner, [600000.0])
        self.assertFalse(company_partner.logistics_grade)
        # a portal user is a customer like any other
        portal = new_test_user(self.env, "lcrm_portal_customer", groups="base.group_portal")
        self._create_orders(portal.partner_id, [20000.0])
        self.assertEqual(portal.partner_id.logistics_grade, "C")

    @mute_logger("odoo.models.unlink")
    def test_customer_with_history_is_archived_not_deleted(self):
        admin = new_test_user(
            self.env,
            "lcrm_deleter",
            groups="base.group_system,base.group_partner_manager,sales_team.group_sale_manager",
        )
        lone = self._create_customer("Never graded")
        lone.with_user(admin).unlink()
        self.assertFalse(lone.exists())
        history = self._histories(self.customer)
        self.assertTrue(history)
        customer = self._create_customer("Graded, no orders")
        customer.action_logistics_recompute_grade()
        with self.assertRaises(UserError):
            customer.with_user(admin).unlink()
        self.assertTrue(customer.exists())
        customer.with_user(admin).action_archive()
        self.assertTrue(self._histories(customer))


@tagged("post_install", "-at_install")
class TestBadValues(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Overridden")
        cls._create_orders(cls.customer, [20000.0])

    def test_override_reason_needs_visible_text_and_a_sensible_length(self):
        customer = self.customer.with_user(self.user_supervisor)
        for reason in ("", "   ", "\u200b", "\u200b\u200c\u200d\ufeff\u2060", "\u3000\t\n", "x" * 501):
            with self.subTest(reason=reason[:10]), self.assertRaises(ValidationError):
                customer.write({"logistics_grade_override": "A", "logistics_grade_override_reason": reason})
        self.assertFalse(self.customer.logistics_grade_override)
        customer.write({"logistics_grade_override": "A", "logistics_grade_override_reason": "战略客户 " + "x" * 490})
        self.assertEqual(self.customer.logistics_grade, "A")

    def test_removing_an_override_removes_its_reason(self):
        customer = self.customer.with_user(self.user_supervisor)
        customer.write({"logistics_grade_override": "A", "logistics_grade_override_reason": "Key account"})
        customer.write({"logistics_grade_override": False})
        self.assertFalse(self.customer.logistics_grade_override_reason)
        self.assertEqual(self.customer.logistics_grade, "C")
        with self.assertRaises(ValidationError):
            customer.write({"logistics_grade_override": "B"})

    def test_search_by_service_level(self):
        level_c = self.env.ref("logistics_crm.service_level_c")
        level_a = self.env.ref("logistics_crm.service_level_a")
        ungraded = self._create_customer("Ungraded")
        Partner = self.env["res.partner"].with_user(self.user_specialist)
        scope = [("id", "in", (self.customer | ungraded).ids)]

        def search(operator, value):
            return Partner.search(scope + [("logistics_service_level_id", operator, value)])

        for operator, value, expected in (
            ("=", level_c.id, self.customer),
            ("!=", level_c.id, ungraded),
            ("=", level_a.id, Partner),
            ("in", [level_c.id, level_a.id], self.customer),
            ("not in", [level_c.id], ungraded),
            ("in", [level_c.name], self.customer),
            ("not in", [level_c.name], ungraded),
            ("=", level_c.name, self.customer),
            ("ilike", "regular", self.customer),
            ("not ilike", "regular", ungraded),
            ("=", False, ungraded),
            ("!=", False, self.customer),
            ("=", None, ungraded),
            ("in", [], Partner),
        ):
            with self.subTest(operator=operator, value=value):
                self.assertEqual(search(operator, value), expected)
        for operator in ("child_of", "parent_of", ">", "=like"):
            with self.subTest(operator=operator), self.assertRaises(UserError):
                search(operator, level_c.id)
        # the current company's levels: a level of company B is none of company A's
        level_of_b = self.env["logistics.service.level"].create(
            {"name": "Regular of B", "grade": "C", "company_id": self.company_b.id}
        )
        self.assertFalse(search("=", level_of_b.id))
        self.assertFalse(search("ilike", "of B"))


@freeze_time(datetime(2024, 6, 3, 12, 0, 0))
@tagged("post_install", "-at_install")
class TestNightlyGradingIsNotFooled(LogisticsCrmCommon):
    def test_a_grading_date_in_the_future_is_due(self):
        self._mark_customers_graded(date(2024, 6, 3))
        customer = self._create_customer("Future")
        self._create_orders(customer, [20000.0])
        # whatever way it got there
        customer.write(
            {"logistics_grade_date": date(2999, 1, 1), "logistics_grade_computed": "A", "logistics_grade": "A"}
        )
        self.assertEqual(self.env["res.partner"]._cron_logistics_recompute_grades(), 1)
        self.assertRecordValues(customer, [{"logistics_grade": "C", "logistics_grade_date": date(2024, 6, 3)}])


@tagged("post_install", "-at_install")
class TestWhoReads(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Read")
        cls.order = cls._create_orders(cls.customer, [20000.0], user=cls.user_salesman)
        cls.portal = new_test_user(cls.env, "lcrm_portal", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer

    @mute_logger("odoo.models")
    def test_internal_figures_are_for_logistics_users(self):
        logistics_fields = [fname for fname in self.customer._fields if fname.startswith("logistics_")]
        # a salesperson without a role reads customers whole (other core
        # models stop a plain user or a portal user from doing so)
        values = self.customer.with_user(self.user_salesman).read()[0]
        self.assertEqual(values["name"], "Read")
        self.assertFalse([fname for fname in values if fname.startswith("logistics_")])
        for user in self.user_salesman | self.user_internal | self.portal:
            partner = self.customer.with_user(user)
            with self.subTest(user=user.login):
                self.assertFalse([fname for fname in partner.fields_get() if fname.startswith("logistics_")])
                for fname in logistics_fields:
                    with self.subTest(field=fname), self.assertRaises(AccessError):
                        partner.read([fname])
        # the grade, where the salesperson needs it
        self.assertEqual(self.order.with_user(self.user_salesman).logistics_customer_grade, "C")
        # logistics users read them all
        values = self.customer.with_user(self.user_specialist).read(logistics_fields)[0]
        self.assertEqual(values["logistics_grade"], "C")
        self.assertEqual(values["logistics_annual_spend"], 20000.0)

    def test_supervisor_sees_and_uses_the_form(self):
        with Form(self.customer.with_user(self.user_supervisor)) as form:
            form.logistics_grade_override = "B"
            form.logistics_grade_override_reason = "Framework contract"
        self.assertEqual(self.customer.logistics_grade, "B")
        self.assertTrue(self.env.user.has_group(SUPERVISOR))
