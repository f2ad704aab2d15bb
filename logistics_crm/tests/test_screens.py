"""What the screens offer: the customer form opened from Logistics CRM, its
filters, group-bys and analysis, a contact's Logistics tab, the service level
on the customer, and the grading date."""

from lxml import etree

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCrmCommon

CUSTOMERS_ACTION = "logistics_crm.res_partner_action_logistics_customers"
ANALYSIS_ACTION = "logistics_crm.res_partner_action_logistics_analysis"


@tagged("post_install", "-at_install")
class TestScreens(LogisticsCrmCommon):
    def _action_views(self, xmlid, user):
        """The views of action ``xmlid`` as ``user`` loads them: {view type: arch}."""
        action = self.env.ref(xmlid)
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        views.append((action.search_view_id.id, "search"))
        loaded = self.env["res.partner"].with_user(user).get_views(views)["views"]
        return {view_type: etree.fromstring(view["arch"]) for view_type, view in loaded.items()}

    def test_customer_form_opens_on_the_logistics_tab(self):
        form = self._action_views(CUSTOMERS_ACTION, self.user_specialist)["form"]
        pages = form.xpath("//notebook/page")
        self.assertEqual(pages[0].get("name"), "logistics_crm", "the Logistics tab comes first")
        self.assertEqual(
            [page.get("name") for page in pages if page.get("autofocus")], ["logistics_crm"], "and is the one opened"
        )
        # the Contacts app keeps Odoo's form, opened on its addresses
        contacts_form = etree.fromstring(
            self.env["res.partner"].with_user(self.user_specialist).get_view(view_type="form")["arch"]
        )
        names = [page.get("name") for page in contacts_form.xpath("//notebook/page")]
        self.assertEqual(names[0], "contact_addresses")
        self.assertEqual(names.index("logistics_crm"), names.index("sales_purchases") + 1)

    def test_customer_type_filters_replace_odoo_person_filters(self):
        search = self._action_views(CUSTOMERS_ACTION, self.user_specialist)["search"]
        filters = {node.get("name"): node.get("string") for node in search.xpath("//filter")}
        self.assertNotIn("type_person", filters, "Odoo's Individuals (persons) filter is gone here")
        self.assertNotIn("type_company", filters)
        self.assertEqual(filters["logistics_individual"], "Individuals")
        self.assertEqual(filters["logistics_enterprise"], "Enterprises")
        customers = self.env["res.partner"].with_user(self.user_specialist)
        individual = self._create_customer("Solo Shipper", customer_type="individual")
        enterprise = self._create_customer("Big Corp")
        (individuals,) = search.xpath("//filter[@name='logistics_individual']")
        self.assertEqual(individuals.get("domain"), "[('logistics_customer_type', '=', 'individual')]")
        found = customers.search([("logistics_customer_type", "=", "individual")])
        self.assertIn(individual, found)
        self.assertNotIn(enterprise, found)
        # the Contacts app keeps Odoo's filters only
        contacts_search = etree.fromstring(
            self.env["res.partner"].with_user(self.user_specialist).get_view(view_type="search")["arch"]
        )
        names = [node.get("name") for node in contacts_search.xpath("//filter")]
        self.assertIn("type_person", names)
        self.assertNotIn("logistics_individual", names)

    def test_group_by_natural_order(self):
        Partner = self.env["res.partner"]
        created = Partner.browse()
        for tier in ("rural", "tier_3", "tier_1", "tier_2"):
            created |= self._create_customer(f"Tier {tier}", logistics_region_tier=tier)
        for status in ("blocked", "watch", "poor"):
            created |= self._create_customer(f"Credit {status}", logistics_credit_status=status)
        created |= self._create_customer("Ministry", customer_type="government", logistics_size="city")
        created |= self._create_customer("Person", customer_type="individual")
        self._create_orders(created[0], [600000.0])
        self._create_orders(created[1], [150000.0])
        domain = [("id", "in", created.ids)]
        specialist = Partner.with_user(self.user_specialist)
        for fname, expected in (
            ("logistics_region_tier", ["tier_1", "tier_2", "tier_3", "rural", False]),
            ("logistics_credit_status", ["good", "watch", "poor", "blocked"]),
            ("logistics_size", ["large", "medium", "small", "occasional", "city"]),
            ("logistics_customer_type", ["individual", "enterprise", "government"]),
        ):
            with self.subTest(group_by=fname):
                groups = specialist.read_group(domain, [fname], [fname], lazy=False)
                self.assertEqual([group[fname] for group in groups], expected)
                # sorting a list by the field follows the same order
                ordered = specialist.search(domain + [(fname, "!=", False)], order=f"{fname} desc, id")
                values = list(dict.fromkeys(ordered.mapped(fname)))
                self.assertEqual(values, [value for value in reversed(expected) if value])

    def test_analysis_offers_the_logistics_measures(self):
        views = self._action_views(ANALYSIS_ACTION, self.user_manager)
        fields_info = self.env["res.partner"].with_user(self.user_manager).fields_get(attributes=["type", "aggregator"])
        for view_type in ("pivot", "graph"):
            with self.subTest(view=view_type):
                invisible = {node.get("name") for node in views[view_type].xpath("//field[@invisible='1']")}
                # what the web client offers as measures (computeReportMeasures)
                measures = {
                    fname
                    for fname, info in fields_info.items()
                    if info["type"] in ("integer", "float", "monetary")
                    and info.get("aggregator")
                    and fname not in invisible
                }
                self.assertEqual(
                    measures,
                    {
                        "logistics_annual_spend",
                        "logistics_monthly_orders",
                        # the service KPIs and the health score, averaged per customer
                        "logistics_delivery_count",
                        "logistics_on_time_rate",
                        "logistics_in_full_rate",
                        "logistics_otif_rate",
                        "logistics_lead_time_days",
                        "logistics_complaint_rate",
                        "logistics_damage_loss_rate",
                        "logistics_health_score",
                    },
                )
        context = self.env.ref(ANALYSIS_ACTION).context
        self.assertIn("'pivot_measures': ['__count', 'logistics_annual_spend']", context, "customers are counted")
        self.assertIn("'graph_measure': '__count'", context)

    def test_contact_shows_its_company_grade_and_service_level(self):
        company = self._create_customer("Parent Co")
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": company.id})
        self._create_orders(company, [600000.0])
        self.assertEqual(company.logistics_grade, "A")
        level_a = self.env.ref("logistics_crm.service_level_a")
        contact = contact.with_user(self.user_specialist)
        self.assertRecordValues(
            contact,
            [
                {
                    "logistics_grade": False,
                    "logistics_commercial_grade": "A",
                    "logistics_service_level_id": level_a.id,
                    "logistics_service_commitments": level_a.description,
                }
            ],
        )
        form = etree.fromstring(contact.get_view(view_type="form")["arch"])
        for fname in ("logistics_commercial_grade", "logistics_service_level_id", "logistics_service_commitments"):
            self.assertTrue(form.xpath(f"//page[@name='logistics_crm']//field[@name='{fname}']"), fname)

    def test_visit_schedule_reads_as_words(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        level_a = self.env.ref("logistics_crm.service_level_a")
        level_d = self.env.ref("logistics_crm.service_level_d")
        self.assertEqual(level_a.visit_schedule, f"Every {level_a.visit_interval_days} days")
        self.assertEqual(level_d.visit_interval_days, 0)
        self.assertEqual(level_d.visit_schedule, "No scheduled visit")
        customer = self._create_customer("Small Shop")
        self._create_orders(customer, [100.0])
        self.assertEqual(customer.logistics_grade, "D")
        self.assertEqual(customer.logistics_visit_schedule, "No scheduled visit")
        self.assertEqual(
            customer.with_context(lang="zh_CN").logistics_visit_schedule,
            level_d.with_context(lang="zh_CN").visit_schedule,
        )
        self.assertNotEqual(level_d.with_context(lang="zh_CN").visit_schedule, "No scheduled visit")

    def test_hours_read_the_same_in_forms_and_lists(self):
        Level = self.env["logistics.service.level"].with_user(self.user_admin)
        for view_type in ("form", "list"):
            arch = etree.fromstring(Level.get_view(view_type=view_type)["arch"])
            for fname in ("first_response_hours", "resolution_hours"):
                (node,) = arch.xpath(f"//field[@name='{fname}']")
                self.assertIsNone(node.get("widget"), f"{fname} in the {view_type}: decimal hours, no time widget")
        partner_form = etree.fromstring(
            self.env["res.partner"].with_user(self.user_specialist).get_view(view_type="form")["arch"]
        )
        for fname in ("logistics_first_response_hours", "logistics_resolution_hours"):
            (node,) = partner_form.xpath(f"//field[@name='{fname}']")
            self.assertIsNone(node.get("widget"))

    def test_every_grading_sets_the_grading_date(self):
        today = fields.Date.today()
        customer = self._create_customer("Dated")
        self.assertFalse(customer.logistics_grade_date)
        # a confirmed order grades the customer
        self._create_orders(customer, [20000.0])
        self.assertEqual(customer.logistics_grade_date, today)
        # so does the button, and a regrade that changes nothing moves the date
        customer._logistics_system_writer().write({"logistics_grade_date": "2024-01-01"})
        customer.with_user(self.user_specialist).action_logistics_recompute_grade()
        self.assertEqual(customer.logistics_grade_date, today)
        self.assertEqual(customer._fields["logistics_grade_date"].string, "Last Graded")
