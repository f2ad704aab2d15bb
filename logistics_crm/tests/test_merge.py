"""Contacts > Merge with the module installed: the destination keeps its own
logistics classification and figures, receives the grade history and sale
orders of the merged contacts, and is regraded from the merged sales."""

from odoo.tests import tagged

from .common import LogisticsCrmCommon


@tagged("post_install", "-at_install")
class TestMerge(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_system_admin = cls._create_settings_user(
            "lcrm_system_admin", extra_groups=("base.group_partner_manager",)
        )

    def _merge(self, user, dst, src):
        """Merge ``src`` into ``dst`` as ``user``, through the wizard as the
        Contacts > Merge action opens it."""
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=(dst | src).ids)
            .create({"dst_partner_id": dst.id})
        )
        self.assertEqual(wizard.partner_ids, dst | src)
        wizard.action_merge()
        self.assertFalse(src.exists())
        self.assertTrue(dst.exists())

    def test_merge_duplicates_plain_user(self):
        """A plain user (Contact Creation, no Logistics CRM role) merges two
        fresh duplicates."""
        partners = self.env["res.partner"].with_user(self.user_internal)
        dst = partners.create({"name": "Duplicate Ltd", "email": "duplicate@example.com"})
        src = partners.create({"name": "Duplicate Ltd", "email": "duplicate@example.com", "phone": "+32 2 555 00 01"})
        self._merge(self.user_internal, dst, src)
        self.assertRecordValues(
            dst.sudo(),
            [
                {
                    # the wizard's normal behaviour for the other fields
                    "phone": "+32 2 555 00 01",
                    "logistics_customer_type": False,
                    "logistics_credit_status": "good",
                    "logistics_grade_override": False,
                }
            ],
        )

    def test_merge_graded_customers_admin(self):
        """An administrator merges a B customer into a C customer: the
        destination keeps its classification, receives the history and the
        orders of the source, and is regraded from both customers' orders."""
        dst = self._create_customer(
            "Graded Customer",
            email="graded@example.com",
            logistics_region_tier="tier_1",
            logistics_credit_status="watch",
        )
        src = self._create_customer(
            "Graded Customer (duplicate)",
            customer_type="individual",
            email="graded.duplicate@example.com",
            logistics_region_tier="tier_2",
            logistics_credit_status="good",
        )
        dst_orders = self._create_orders(dst, [20000.0])
        src_orders = self._create_orders(src, [150000.0])
        self.assertEqual(dst.logistics_grade, "C")
        self.assertEqual(src.logistics_grade, "B")
        dst_history = self._histories(dst)
        src_history = self._histories(src)
        self.assertEqual(len(dst_history), 1)
        self.assertEqual(len(src_history), 1)

        self._merge(self.user_system_admin, dst, src)

        self.assertRecordValues(
            dst,
            [
                {
                    "email": "graded@example.com",
                    # the destination's classification, none of the source's
                    "logistics_customer_type": "enterprise",
                    "logistics_region_tier": "tier_1",
                    "logistics_credit_status": "watch",
                    "logistics_grade_override": False,
                    # regraded from the orders of both customers
                    "logistics_annual_spend": 170000.0,
                    "logistics_grade_computed": "B",
                    "logistics_grade": "B",
                    "logistics_grade_rule_id": self.rule_b.id,
                }
            ],
        )
        self.assertEqual((dst_orders | src_orders).partner_id, dst)
        history = self._histories(dst)
        self.assertEqual(history[:2], dst_history | src_history)
        self.assertEqual(len(history), 3)
        self.assertRecordValues(
            history[2],
            [
                {
                    "old_grade": "C",
                    "new_grade": "B",
                    "origin": "computed",
                    "user_id": self.user_system_admin.id,
                }
            ],
        )
        self.assertGradeTracked(self._grade_messages(dst)[-1], "C", "B")

    def test_merge_keeps_destination_override_supervisor(self):
        """A supervisor merges a customer into one with a grade override: the
        override stays, nothing of the source's logistics values is copied
        (even where the destination has none), and the regrade updates the
        computed grade only."""
        dst = self._create_customer(
            "Strategic Customer",
            email="strategic@example.com",
            logistics_grade_override="A",
            logistics_grade_override_reason="Strategic account",
        )
        src = self._create_customer(
            "Strategic Customer",
            email="strategic@example.com",
            logistics_region_tier="tier_3",
            logistics_credit_status="blocked",
            logistics_grade_override="D",
            logistics_grade_override_reason="Bad payer",
        )
        self._create_orders(dst, [20000.0])
        src_orders = self._create_orders(src, [150000.0])
        self.assertEqual(dst.logistics_grade, "A")
        self.assertEqual(dst.logistics_grade_computed, "C")
        history_before = self._histories(dst) | self._histories(src)

        self._merge(self.user_supervisor, dst, src)

        self.assertRecordValues(
            dst,
            [
                {
                    "logistics_region_tier": False,
                    "logistics_credit_status": "good",
                    "logistics_grade_override": "A",
                    "logistics_grade_override_reason": "Strategic account",
                    "logistics_annual_spend": 170000.0,
                    "logistics_grade_computed": "B",
                    "logistics_grade": "A",
                }
            ],
        )
        self.assertEqual(src_orders.partner_id, dst)
        # the effective grade did not change: no new history entry
        self.assertEqual(self._histories(dst), history_before)

    def test_merge_does_not_copy_source_override_supervisor(self):
        """A destination without override stays without one when the source
        has one."""
        dst = self._create_customer("Plain Customer", email="plain@example.com")
        src = self._create_customer(
            "Plain Customer",
            email="plain@example.com",
            logistics_grade_override="A",
            logistics_grade_override_reason="Framework contract",
        )
        self._create_orders(dst, [20000.0])
        self._create_orders(src, [150000.0])

        self._merge(self.user_supervisor, dst, src)

        self.assertRecordValues(
            dst,
            [
                {
                    "logistics_grade_override": False,
                    "logistics_grade_override_reason": False,
                    "logistics_grade_computed": "B",
                    "logistics_grade": "B",
                }
            ],
        )
        self.assertRecordValues(self._histories(dst)[-1], [{"old_grade": "C", "new_grade": "B"}])
