"""The audit of who exports customer data, reads it in bulk or changes
credit status and overrides (logistics.access.log)."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import SQL, mute_logger

from .common import SPECIALIST, LogisticsCrmCommon

SPEC = {"name": {}, "logistics_grade": {}, "logistics_credit_status": {}}


class TestAccessLog(LogisticsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Audited {index:03}", "is_company": True} for index in range(250)]
        )
        cls.domain = [("name", "=like", "Audited %")]
        cls.exporter = new_test_user(
            cls.env, "lcrm_exporter", groups=f"{SPECIALIST},base.group_allow_export", company_id=cls.company.id
        )

    def _entries(self, **values):
        domain = [(fname, "=", value) for fname, value in values.items()]
        return self.env["logistics.access.log"].search(domain)

    def test_export_with_logistics_fields(self):
        partners = self.customers[:30].with_user(self.exporter)
        partners.export_data(["name", "logistics_grade", "parent_id/logistics_credit_status"])
        self.assertRecordValues(
            self._entries(operation="export"),
            [
                {
                    "user_id": self.exporter.id,
                    "model": "res.partner",
                    "record_count": 30,
                    "field_names": "logistics_grade, parent_id/logistics_credit_status",
                    "company_id": self.company.id,
                }
            ],
        )
        partners.export_data(["name", "phone"])
        self.assertEqual(len(self._entries(operation="export")), 1, "an export without logistics fields is not")

    def test_bulk_read_and_normal_list(self):
        Partner = self.env["res.partner"].with_user(self.user_specialist)
        Partner.web_search_read(self.domain, SPEC, limit=80)
        self.assertFalse(self._entries(operation="bulk_read"), "a normal list of 80")
        Partner.web_search_read(self.domain, {"name": {}}, limit=250)
        self.assertFalse(self._entries(operation="bulk_read"), "no logistics field")
        Partner.web_search_read(self.domain, SPEC, limit=250)
        self.assertRecordValues(
            self._entries(operation="bulk_read"),
            [
                {
                    "user_id": self.user_specialist.id,
                    "record_count": 250,
                    "field_names": "logistics_credit_status, logistics_grade",
                }
            ],
        )
        # the threshold is a setting
        self.env["ir.config_parameter"].set_param("logistics_crm.access_log_bulk_threshold", 50)
        Partner.web_search_read(self.domain, SPEC, limit=80)
        self.assertEqual(len(self._entries(operation="bulk_read")), 2)

    def test_bulk_read_of_every_field(self):
        """A read without a field list reads every field the user may read,
        the logistics ones included: it is logged with those."""
        # a specialist who also invoices, as reading every field of a
        # partner reads its invoicing figures
        reader = new_test_user(
            self.env, "lcrm_reader", groups=f"{SPECIALIST},account.group_account_invoice", company_id=self.company.id
        )
        self.env["res.partner"].with_user(reader).search(self.domain).read()
        entry = self._entries(operation="bulk_read")
        self.assertEqual(entry.record_count, 250)
        self.assertIn("logistics_credit_status", entry.field_names.split(", "))
        self.assertIn("logistics_grade", entry.field_names.split(", "))

    def test_logging_costs_one_query(self):
        Partner = self.env["res.partner"].with_user(self.user_specialist)
        counts = {}
        for limit in (80, 80, 250):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Partner.web_search_read(self.domain, SPEC, limit=limit)
            counts[limit] = self.env.cr.sql_log_count - before
        self.assertEqual(counts[250], counts[80] + 1, "the bulk read costs the INSERT of its entry, no more")

    def test_credit_and_override_changes(self):
        customer = self.customers[0].with_user(self.user_supervisor)
        customer.write({"logistics_credit_status": "poor"})
        customer.write({"logistics_grade_override": "A", "logistics_grade_override_reason": "Strategic"})
        self.assertRecordValues(
            self._entries(user_id=self.user_supervisor.id).sorted("id"),
            [
                {"operation": "credit_change", "record_count": 1, "field_names": "logistics_credit_status"},
                {
                    "operation": "override_change",
                    "record_count": 1,
                    "field_names": "logistics_grade_override, logistics_grade_override_reason",
                },
            ],
        )
        # both in one write: two entries, one INSERT (the statements run, as logged)
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            self.customers[2].with_user(self.user_supervisor).write(
                {
                    "logistics_credit_status": "watch",
                    "logistics_grade_override": "B",
                    "logistics_grade_override_reason": "Pilot",
                }
            )
        inserts = [line for line in logs.output if "INSERT INTO logistics_access_log" in line]
        self.assertEqual(len(inserts), 1, "one statement for the two entries")
        self.assertEqual(
            sorted(self._entries(user_id=self.user_supervisor.id).mapped("operation")),
            ["credit_change", "credit_change", "override_change", "override_change"],
        )
        # the system's own writes (the nightly grading) are not users' changes
        self.customers[1]._logistics_system_writer().write({"logistics_grade": "B"})
        self.assertEqual(len(self._entries()), 4)

    def test_nobody_edits_and_managers_read(self):
        self.env["logistics.access.log"].with_user(self.user_specialist)._logistics_log(
            "export", "res.partner", 3, ["logistics_grade"]
        )
        entry = self._entries(operation="export")
        self.assertEqual(entry.with_user(self.user_manager).read(["record_count"])[0]["record_count"], 3)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            entry.with_user(self.user_supervisor).read(["record_count"])
        for user in (self.user_manager, self.user_admin):
            with self.subTest(user=user.login), mute_logger("odoo.addons.base.models.ir_model"):
                with self.assertRaises(AccessError):
                    entry.with_user(user).write({"record_count": 0})
                with self.assertRaises(AccessError):
                    entry.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["logistics.access.log"].with_user(user).create(
                        {"operation": "export", "model": "res.partner"}
                    )

    def test_retention(self):
        Log = self.env["logistics.access.log"]
        Log._logistics_log("export", "res.partner", 1, ["logistics_grade"])
        Log._logistics_log("export", "res.partner", 2, ["logistics_grade"])
        old, recent = self._entries(operation="export").sorted("record_count")
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_access_log SET create_date = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(days=366),
                old.id,
            )
        )
        Log._cron_purge()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.env["ir.config_parameter"].set_param("logistics_crm.access_log_retention_days", 1)
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_access_log SET create_date = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(days=2),
                recent.id,
            )
        )
        Log._cron_purge()
        self.assertFalse(recent.exists())
