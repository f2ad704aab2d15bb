"""Figures, size and grade of customers, computed from real confirmed sale
orders; credit demotion, overrides, grade history and chatter tracking."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestPartnerGrading(LogisticsCrmCommon):
    def _graded(self, amounts, customer_type="enterprise", **values):
        """A customer whose orders of ``amounts`` are confirmed (which grades it)."""
        partner = self._create_customer(customer_type=customer_type, **values)
        self._create_orders(partner, amounts)
        return partner

    def test_spend_thresholds(self):
        cases = [
            (500000.0, "A", self.rule_a, "large"),
            (499999.99, "B", self.rule_b, "medium"),
            (100000.0, "B", self.rule_b, "medium"),
            (99999.99, "C", self.rule_c, "small"),
            (10000.0, "C", self.rule_c, "small"),
            (9999.99, "D", self.rule_d, "small"),
        ]
        partners = self.env["res.partner"].create(
            [
                {"name": f"Spend {spend}", "is_company": True, "logistics_customer_type": "enterprise"}
                for spend, *_dummy in cases
            ]
        )
        # one order per customer, all confirmed together
        orders = self.env["sale.order"]
        for partner, (spend, *_dummy) in zip(partners, cases, strict=True):
            orders |= self._create_orders(partner, [spend], confirm=False)
        orders.action_confirm()
        for partner, (spend, grade, rule, size) in zip(partners, cases, strict=True):
            with self.subTest(spend=spend):
                self.assertEqual(partner.logistics_annual_spend, spend)
                self.assertEqual(partner.logistics_monthly_orders, 0.08)
                self.assertEqual(partner.logistics_grade_computed, grade)
                self.assertEqual(partner.logistics_grade, grade)
                self.assertEqual(partner.logistics_grade_rule_id, rule)
                self.assertFalse(partner.logistics_grade_credit_demoted)
                self.assertEqual(partner.logistics_size, size)

    def test_order_frequency_threshold(self):
        frequent = self._graded([10.0] * 36, customer_type="individual")
        occasional = self._graded([10.0] * 35, customer_type="individual")
        self.assertEqual(frequent.logistics_monthly_orders, 3.0)
        self.assertEqual(frequent.logistics_annual_spend, 360.0)
        self.assertEqual(frequent.logistics_grade, "C")
        self.assertEqual(frequent.logistics_grade_rule_id, self.rule_c)
        self.assertEqual(frequent.logistics_size, "frequent")
        self.assertEqual(occasional.logistics_monthly_orders, 2.92)
        self.assertEqual(occasional.logistics_grade, "D")
        self.assertEqual(occasional.logistics_grade_rule_id, self.rule_d)
        self.assertEqual(occasional.logistics_size, "occasional")

    def test_draft_and_cancelled_orders_not_counted(self):
        partner = self._create_customer()
        self._create_orders(partner, [20000.0], confirm=False)
        self._create_orders(partner, [700000.0]).with_context(disable_cancel_warning=True).action_cancel()
        self._create_orders(partner, [300.0])
        self.assertEqual(partner.logistics_annual_spend, 300.0)
        self.assertEqual(partner.logistics_grade, "D")

    def test_trailing_window(self):
        partner = self._create_customer()
        start = datetime(2024, 1, 10, 12, 0, 0)
        with freeze_time(start):
            self._create_orders(partner, [200000.0])
        with freeze_time(start + timedelta(days=100)):
            self._create_orders(partner, [20000.0])
            self.assertEqual(partner.logistics_annual_spend, 220000.0)
            self.assertEqual(partner.logistics_grade, "B")
        # exactly 365 days later the first order is still in the window
        with freeze_time(start + timedelta(days=365)):
            partner.action_logistics_recompute_grade()
            self.assertEqual(partner.logistics_annual_spend, 220000.0)
            self.assertEqual(partner.logistics_grade, "B")
        # one second later it is not
        with freeze_time(start + timedelta(days=365, seconds=1)):
            partner.action_logistics_recompute_grade()
            self.assertEqual(partner.logistics_annual_spend, 20000.0)
            self.assertEqual(partner.logistics_monthly_orders, 0.08)
            self.assertEqual(partner.logistics_grade, "C")
        with freeze_time(start + timedelta(days=466)):
            partner.action_logistics_recompute_grade()
            self.assertEqual(partner.logistics_annual_spend, 0.0)
            self.assertEqual(partner.logistics_monthly_orders, 0.0)
            self.assertEqual(partner.logistics_grade, "D")

    def test_backdated_orders_not_counted(self):
        partner = self._create_customer()
        old, recent = self._create_orders(partner, [600000.0, 50000.0], confirm=True)
        self.assertEqual(partner.logistics_grade, "A")
        old.date_order = datetime.now() - timedelta(days=366)
        recent.date_order = datetime.now() - timedelta(days=364)
        partner.action_logistics_recompute_grade()
        self.assertEqual(partner.logistics_annual_spend, 50000.0)
        self.assertEqual(partner.logistics_grade, "C")

    def test_contacts_orders_count_for_their_company(self):
        company = self._create_customer("Acme Freight")
        buyer, planner = self.env["res.partner"].create(
            [
                {"name": "Buyer", "parent_id": company.id, "type": "contact"},
                {"name": "Planner", "parent_id": company.id, "type": "contact"},
            ]
        )
        self._create_orders(buyer, [60000.0])
        self.assertEqual(company.logistics_annual_spend, 60000.0)
        self.assertEqual(company.logistics_grade, "C")
        self._create_orders(planner, [30000.0])
        self._create_orders(company, [15000.0])
        self.assertEqual(company.logistics_annual_spend, 105000.0)
        self.assertEqual(company.logistics_monthly_orders, 0.25)
        self.assertEqual(company.logistics_grade, "B")
        self.assertEqual(company.logistics_size, "medium")
        # the contacts themselves are not graded
        self.assertFalse(any((buyer | planner).mapped("logistics_grade")))
        self.assertFalse(any((buyer | planner).mapped("logistics_annual_spend")))
        self.assertFalse(self._histories(buyer))
        # the recompute button on a contact regrades its company
        company.sudo().write({"logistics_annual_spend": 0.0})
        buyer.with_user(self.user_specialist).action_logistics_recompute_grade()
        self.assertEqual(company.logistics_annual_spend, 105000.0)

    def test_individual_size_and_company_threshold(self):
        partner = self._graded([5.0] * 24, customer_type="individual")
        self.assertEqual(partner.logistics_monthly_orders, 2.0)
        self.assertEqual(partner.logistics_size, "occasional")
        self.company.logistics_frequent_orders = 2.0
        partner.action_logistics_recompute_grade()
        self.assertEqual(partner.logistics_size, "frequent")
        # a new customer is sized with the new threshold as well
        other = self._graded([5.0] * 24, customer_type="individual")
        self.assertEqual(other.logistics_size, "frequent")

    def test_enterprise_size_company_thresholds(self):
        partner = self._graded([150000.0])
        self.assertEqual((partner.logistics_size, partner.logistics_grade), ("medium", "B"))
        # the default A and B rules follow the size thresholds: the customer
        # is resized and regraded at once
        self.company.write({"logistics_large_spend": 140000.0, "logistics_medium_spend": 50000.0})
        self.assertEqual((partner.logistics_size, partner.logistics_grade), ("large", "A"))
        self.company.write({"logistics_large_spend": 1000000.0, "logistics_medium_spend": 200000.0})
        self.assertEqual((partner.logistics_size, partner.logistics_grade), ("small", "C"))
        # a rule with its own amount does not follow them
        self.rule_b.write({"spend_threshold_source": "own", "min_annual_spend": 100000.0})
        self.assertEqual((partner.logistics_size, partner.logistics_grade), ("small", "B"))
        other = self._graded([150000.0])
        self.assertEqual(other.logistics_size, "small")

    def test_company_thresholds_cannot_be_inconsistent(self):
        with self.assertRaises(ValidationError):
            self.company.logistics_medium_spend = 600000.0
        with self.assertRaises(ValidationError):
            self.company.logistics_frequent_orders = -1.0

    def test_government_size_is_kept(self):
        partner = self._create_customer(customer_type="government")
        partner.with_user(self.user_specialist).logistics_size = "provincial"
        self.assertEqual(partner.logistics_size, "provincial")
        self._create_orders(partner, [600000.0])
        self.assertEqual(partner.logistics_annual_spend, 600000.0)
        self.assertEqual(partner.logistics_grade, "A")
        self.assertEqual(partner.logistics_size, "provincial")
        # becoming an enterprise sizes it from its figures again
        partner.with_user(self.user_specialist).logistics_customer_type = "enterprise"
        self.assertEqual(partner.logistics_size, "large")
        # switching back to government finds the level set by hand
        partner.with_user(self.user_specialist).logistics_customer_type = "government"
        self.assertEqual(partner.logistics_size, "provincial")
        self.assertEqual(partner.logistics_government_level, "provincial")
        # a government customer whose level was never set has no size
        other = self._create_customer(customer_type="government")
        self._create_orders(other, [600000.0])
        self.assertFalse(other.logistics_size)

    def test_government_size_only_for_government(self):
        enterprise = self._create_customer()
        individual = self._create_customer(customer_type="individual")
        government = self._create_customer(customer_type="government", logistics_size="city")
        self.assertEqual(government.logistics_size, "city")
        computed = "is computed from its sales"
        is_government = "is a government customer: its size is its government level"
        for partner, size, message in (
            (enterprise, "national", computed),
            (enterprise, "small", computed),
            (individual, "city", computed),
            (government, "large", is_government),
        ):
            with (
                self.subTest(type=partner.logistics_customer_type, size=size),
                self.assertRaisesRegex(ValidationError, message),
            ):
                partner.with_user(self.user_specialist).logistics_size = size
        with self.assertRaisesRegex(ValidationError, computed):
            self._create_customer(customer_type="enterprise", logistics_size="national")
        with self.assertRaisesRegex(ValidationError, is_government):
            self._create_customer(customer_type="government", logistics_size="medium")
        # the government level is the size of a government customer, in one write
        government.with_user(self.user_specialist).logistics_government_level = "national"
        self.assertEqual(government.logistics_size, "national")
        # a government size typed in sets the level
        government.with_user(self.user_specialist).logistics_size = "provincial"
        self.assertRecordValues(
            government, [{"logistics_size": "provincial", "logistics_government_level": "provincial"}]
        )

    def test_credit_demotion(self):
        a_customer = self._graded([600000.0])
        d_customer = self._graded([100.0])
        self.assertEqual((a_customer.logistics_grade, d_customer.logistics_grade), ("A", "D"))
        customers = a_customer | d_customer
        for status, a_grade, demoted in (
            ("watch", "A", False),
            ("poor", "B", True),
            ("blocked", "B", True),
            ("good", "A", False),
        ):
            with self.subTest(status=status):
                customers.with_user(self.user_supervisor).logistics_credit_status = status
                customers.with_user(self.user_supervisor).action_logistics_recompute_grade()
                self.assertEqual(a_customer.logistics_grade, a_grade)
                self.assertEqual(a_customer.logistics_grade_rule_id, self.rule_a)
                self.assertEqual(a_customer.logistics_grade_credit_demoted, demoted)
                # D stays D, and is not reported as lowered
                self.assertEqual(d_customer.logistics_grade, "D")
                self.assertFalse(d_customer.logistics_grade_credit_demoted)
        history = self._histories(a_customer)
        self.assertEqual(
            [(h.old_grade, h.new_grade) for h in history],
            [(False, "A"), ("A", "B"), ("B", "A")],
        )
        self.assertIn("lowered one step for credit status Poor", history[1].reason)
        self.assertEqual(len(self._histories(d_customer)), 1)

    def test_grade_history_and_chatter(self):
        partner = self._create_customer()
        self.assertFalse(partner.logistics_grade)
        self.assertFalse(self._histories(partner))
        self._create_orders(partner, [20000.0], user=self.user_salesman)
        self._create_orders(partner, [90000.0])
        history = self._histories(partner)
        self.assertRecordValues(
            history,
            [
                {
                    "old_grade": False,
                    "new_grade": "C",
                    "origin": "computed",
                    "user_id": self.user_salesman.id,
                    "company_id": self.company.id,
                },
                {
                    "old_grade": "C",
                    "new_grade": "B",
                    "origin": "computed",
                    "user_id": self.env.user.id,
                    "company_id": self.company.id,
                },
            ],
        )
        self.assertEqual(history[0].reason, f"Grading rule: {self.rule_c.name}")
        self.assertEqual(history[1].reason, f"Grading rule: {self.rule_b.name}")
        self.assertEqual(partner.logistics_grade_history_ids, history)
        messages = self._grade_messages(partner)
        self.assertEqual(len(messages), 2)
        for message, entry, (old, new) in zip(messages, history, [(False, "C"), ("C", "B")], strict=True):
            self.assertGradeTracked(message, old, new)
            self.assertEqual(message.message_type, "notification")
            self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
            self.assertTrue(message.is_internal)
            self.assertEqual(message.record_name, partner.display_name)
            self.assertIn(entry.reason, message.body)
        self.assertEqual(messages[0].author_id, self.user_salesman.partner_id)

    def test_override(self):
        partner = self._graded([20000.0])
        self.assertEqual(partner.logistics_grade, "C")
        as_supervisor = partner.with_user(self.user_supervisor)

        # a reason is mandatory
        for reason in (False, "", "   "):
            with self.subTest(reason=reason), self.assertRaises(ValidationError):
                as_supervisor.write({"logistics_grade_override": "A", "logistics_grade_override_reason": reason})
        with self.assertRaises(ValidationError):
            self._create_customer(logistics_grade_override="B")
        self.assertEqual(partner.logistics_grade, "C")
        self.assertEqual(len(self._histories(partner)), 1)

        as_supervisor.write({"logistics_grade_override": "A", "logistics_grade_override_reason": "Strategic account"})
        self.assertEqual(partner.logistics_grade, "A")
        self.assertEqual(partner.logistics_grade_computed, "C")
        last = self._histories(partner)[-1]
        self.assertRecordValues(
            last,
            [
                {
                    "old_grade": "C",
                    "new_grade": "A",
                    "origin": "override",
                    "reason": "Manual override: Strategic account",
                    "user_id": self.user_supervisor.id,
                }
            ],
        )
        message = self._grade_messages(partner)[-1]
        self.assertGradeTracked(message, "C", "A")
        self.assertEqual(message.author_id, self.user_supervisor.partner_id)

        # the override wins over a new computed grade, which logs no change
        self._create_orders(partner, [90000.0])
        self.assertEqual(partner.logistics_grade_computed, "B")
        self.assertEqual(partner.logistics_grade, "A")
        self.assertEqual(len(self._histories(partner)), 2)
        self.assertEqual(len(self._grade_messages(partner)), 2)

        # nor does the reason alone
        as_supervisor.logistics_grade_override_reason = "Strategic account (renewed)"
        self.assertEqual(len(self._histories(partner)), 2)

        # removing the override brings the computed grade back
        as_supervisor.logistics_grade_override = False
        self.assertEqual(partner.logistics_grade, "B")
        last = self._histories(partner)[-1]
        self.assertRecordValues(
            last,
            [{"old_grade": "A", "new_grade": "B", "origin": "computed", "user_id": self.user_supervisor.id}],
        )
        self.assertEqual(last.reason, f"Override removed; Grading rule: {self.rule_b.name}")
        self.assertGradeTracked(self._grade_messages(partner)[-1], "A", "B")
        self.assertEqual(len(self._grade_messages(partner)), 3)

    def test_override_to_same_grade_logs_nothing(self):
        partner = self._graded([20000.0])
        partner.with_user(self.user_supervisor).write(
            {"logistics_grade_override": "C", "logistics_grade_override_reason": "Confirmed by hand"}
        )
        self.assertEqual(partner.logistics_grade, "C")
        self.assertEqual(len(self._histories(partner)), 1)
        self.assertEqual(len(self._grade_messages(partner)), 1)

    def test_customer_created_with_override(self):
        partner = self._create_customer(
            logistics_grade_override="B", logistics_grade_override_reason="Framework contract"
        )
        self.assertEqual(partner.logistics_grade, "B")
        self.assertFalse(partner.logistics_grade_computed)
        self.assertRecordValues(
            self._histories(partner),
            [{"old_grade": False, "new_grade": "B", "origin": "override"}],
        )
        self.assertGradeTracked(self._grade_messages(partner), False, "B")

    def test_custom_rule_with_industry_filter(self):
        rule = (
            self.env["logistics.grade.rule"]
            .with_user(self.user_admin)
            .create(
                {
                    "name": "A: e-commerce from 50,000",
                    "sequence": 5,
                    "grade": "A",
                    "min_annual_spend": 50000.0,
                    "industry_ids": [Command.set(self.industry_ecommerce.ids)],
                }
            )
        )
        shop = self._graded([60000.0], industry_id=self.industry_ecommerce.id)
        other = self._graded([60000.0])
        small_shop = self._graded([40000.0], industry_id=self.industry_ecommerce.id)
        self.assertEqual((shop.logistics_grade, shop.logistics_grade_rule_id), ("A", rule))
        self.assertEqual((other.logistics_grade, other.logistics_grade_rule_id), ("C", self.rule_c))
        self.assertEqual((small_shop.logistics_grade, small_shop.logistics_grade_rule_id), ("C", self.rule_c))
        self.assertEqual(self._histories(shop).reason, f"Grading rule: {rule.name}")
        # moving the customer out of the industry changes its grade on recompute
        other.with_user(self.user_specialist).industry_id = self.industry_ecommerce
        other.action_logistics_recompute_grade()
        self.assertEqual(other.logistics_grade, "A")
        # an archived rule no longer applies
        rule.with_user(self.user_admin).active = False
        (shop | other).action_logistics_recompute_grade()
        self.assertEqual((shop | other).mapped("logistics_grade"), ["C", "C"])

    def test_custom_rules_customer_type_and_company(self):
        government_rule = self.env["logistics.grade.rule"].create(
            {"name": "B: every government", "sequence": 6, "grade": "B", "customer_type_filter": "government"}
        )
        self.env["logistics.grade.rule"].create(
            {"name": "A: anything in company B", "sequence": 1, "grade": "A", "company_id": self.company_b.id}
        )
        government = self._graded([100.0], customer_type="government")
        enterprise = self._graded([100.0])
        self.assertEqual((government.logistics_grade, government.logistics_grade_rule_id), ("B", government_rule))
        self.assertEqual(enterprise.logistics_grade, "D")
        # the rule of company B grades the customers of company B only
        customer_b = self._create_customer(company_id=self.company_b.id)
        customer_b.action_logistics_recompute_grade()
        # graded in its company, and seen there
        self.assertEqual(customer_b.with_company(self.company_b).logistics_grade, "A")
        self.assertFalse(customer_b.logistics_grade)
        self.assertEqual(self._histories(customer_b).company_id, self.company_b)

    def test_rules_without_a_catch_all(self):
        self.rule_d.active = False
        partner = self._graded([100.0])
        self.assertEqual(partner.logistics_grade, "D")
        self.assertFalse(partner.logistics_grade_rule_id)
        self.assertEqual(self._histories(partner).reason, "No grading rule matched")

    def test_service_level_follows_grade(self):
        partner = self._graded([600000.0])
        self.assertEqual(partner.logistics_service_level_id, self.env.ref("logistics_crm.service_level_a"))
        partner.with_user(self.user_supervisor).write(
            {"logistics_grade_override": "C", "logistics_grade_override_reason": "Late payments"}
        )
        self.assertEqual(partner.logistics_service_level_id, self.env.ref("logistics_crm.service_level_c"))
        # a company-specific level wins over the shared one
        own_level = self.env["logistics.service.level"].create(
            {"name": "Regular customer, our terms", "grade": "C", "company_id": self.company.id}
        )
        partner.invalidate_recordset(["logistics_service_level_id"])
        self.assertEqual(partner.logistics_service_level_id, own_level)
        # and every internal user sees it
        self.assertEqual(partner.with_user(self.user_internal).logistics_service_level_id.name, own_level.name)

    def test_recompute_list_button(self):
        """The "Recompute Grades" button of the customers list regrades the
        selected customers for a specialist, and is refused to a user without
        a role."""
        first = self._create_customer("Action customer 1")
        second = self._create_customer("Action customer 2")
        self._create_orders(first, [150000.0])
        self._create_orders(second, [600000.0])
        customers = first | second
        # forget what the confirmations computed
        customers.write({"logistics_annual_spend": 0.0, "logistics_grade_computed": "D", "logistics_grade": "D"})
        view = self.env.ref("logistics_crm.res_partner_view_list_logistics_crm")
        arch = customers.with_user(self.user_specialist).get_views([(view.id, "list")])["views"]["list"]["arch"]
        self.assertIn('name="action_logistics_recompute_grade"', arch)

        with self.assertRaises(AccessError):
            customers.with_user(self.user_internal).action_logistics_recompute_grade()
        self.assertEqual(customers.mapped("logistics_grade"), ["D", "D"])

        customers.with_user(self.user_specialist).action_logistics_recompute_grade()
        self.assertEqual(customers.mapped("logistics_grade"), ["B", "A"])
        self.assertEqual(customers.mapped("logistics_annual_spend"), [150000.0, 600000.0])

    def test_grade_changes_analysis(self):
        """Reporting > Grade Changes is an analysis: by month, origin, old and
        new grade, not the list of Customers > Grade History."""
        partner = self._graded([20000.0])
        partner.with_user(self.user_supervisor).write(
            {"logistics_grade_override": "A", "logistics_grade_override_reason": "Key account"}
        )
        menu = self.env.ref("logistics_crm.logistics_grade_history_menu_analysis")
        action = menu.action
        self.assertNotEqual(action, self.env.ref("logistics_crm.logistics_grade_history_action"))
        self.assertEqual(action.view_mode.split(",")[:2], ["graph", "pivot"])
        History = self.env["logistics.grade.history"].with_user(self.user_manager)
        views = History.get_views([(view.view_id.id, view.view_mode) for view in action.view_ids])["views"]
        self.assertIn('interval="month"', views["graph"]["arch"])
        self.assertIn('name="origin"', views["pivot"]["arch"])
        groups = History.read_group(
            [("partner_id", "=", partner.id)], ["__count"], ["date:month", "origin", "new_grade"], lazy=False
        )
        self.assertEqual(
            sorted((group["origin"], group["new_grade"], group["__count"]) for group in groups),
            [("computed", "C", 1), ("override", "A", 1)],
        )
