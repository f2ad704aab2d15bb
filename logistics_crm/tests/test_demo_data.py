"""The demo data as its users see it: each demo role user has the Sales app and
reads the confirmed orders that make each demo customer's annual spend; and
the Logistics CRM roles are offered in the Sales section of the user form.

The demo tests read the demo records (``env.ref``: a missing one fails the
test). In a database installed with the module's demo data they are those of
the database; in one installed without it (``scripts/test``), this module's
demo file is loaded first, in the test's transaction (rolled back after the
class), so that the demo shipped is tested everywhere.
"""

from datetime import timedelta

from odoo.fields import Datetime
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

DEMO_USERS = (
    "logistics_crm.user_specialist_demo",
    "logistics_crm.user_supervisor_demo",
    "logistics_crm.user_manager_demo",
)
# the graded demo customers (commercial entities); Huaxin's orders include
# those of its contact (partner_e_huaxin_contact_demo)
DEMO_CUSTOMERS = (
    "logistics_crm.partner_e_huaxin_demo",
    "logistics_crm.partner_e_kuaigou_demo",
    "logistics_crm.partner_e_jiayuan_demo",
    "logistics_crm.partner_e_xiangwei_demo",
    "logistics_crm.partner_e_dongfang_demo",
    "logistics_crm.partner_e_xiaoyu_demo",
    "logistics_crm.partner_e_baihui_demo",
    "logistics_crm.partner_e_kangjian_demo",
    "logistics_crm.partner_e_shunda_demo",
    "logistics_crm.partner_e_nongfeng_demo",
    "logistics_crm.partner_e_hongtu_demo",
    "logistics_crm.partner_e_lingxi_demo",
    "logistics_crm.partner_e_jinqiao_demo",
    "logistics_crm.partner_i_wang_demo",
    "logistics_crm.partner_i_li_demo",
    "logistics_crm.partner_i_zhang_demo",
    "logistics_crm.partner_i_liu_demo",
    "logistics_crm.partner_i_chen_demo",
    "logistics_crm.partner_g_nationalgrid_demo",
    "logistics_crm.partner_g_provhealth_demo",
    "logistics_crm.partner_g_cityschool_demo",
    "logistics_crm.partner_g_cityarchive_demo",
)
# the Sales app and its list of orders (Sales > Orders > Orders)
SALES_MENUS = ("sale.sale_menu_root", "sale.menu_sale_order")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "logistics_crm")])
        if not module.demo:
            # installed without demo data: load the demo file in this
            # transaction (rolled back at the end of the class)
            convert_file(
                cls.env, "logistics_crm", "demo/logistics_crm_demo.xml", {}, mode="init", noupdate=True, kind="demo"
            )
        cls.users = [cls.env.ref(xmlid) for xmlid in DEMO_USERS]
        cls.customers = [cls.env.ref(xmlid) for xmlid in DEMO_CUSTOMERS]
        cls.contact = cls.env.ref("logistics_crm.partner_e_huaxin_contact_demo")
        cls.company = cls.env.ref("base.main_company")
        # The figures are those of the grading as of now (the nightly grading
        # keeps them so; a demo database a few days old has orders that left
        # the 365-day window since it was installed): regrade the demo
        # customers at the same instant the orders are read below.
        cls.now = Datetime.now()
        cls.env["logistics.grading"]._grade(cls.env["res.partner"].concat(*cls.customers), cls.company, now=cls.now)
        cls.env.flush_all()

    def test_demo_fixture(self):
        self.assertEqual(self.contact.commercial_partner_id, self.customers[0])
        for user in self.users:
            self.assertEqual(user.company_id, self.company, user.login)
            self.assertTrue(user.has_group("sales_team.group_sale_salesman_all_leads"), user.login)

    def test_sales_app_menu(self):
        """Each demo role user has the Sales app and its list of orders (the
        web client shows a menu when it and its ancestors are visible)."""
        for user in self.users:
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for xmlid in SALES_MENUS:
                menu = self.env.ref(xmlid)
                while menu:
                    self.assertIn(menu.id, visible, f"{user.login} does not see the menu {menu.complete_name}")
                    menu = menu.parent_id

    def test_orders_behind_annual_spend(self):
        """As each demo role user, the confirmed orders of the last 365 days
        that the user can read, of the customer and its contacts in the
        user's company, sum to the customer's annual spend."""
        since = self.now - timedelta(days=365)
        currency = self.company.currency_id
        for user in self.users:
            self.env.invalidate_all()
            for customer in self.customers:
                customer = customer.with_user(user)
                orders = (
                    self.env["sale.order"]
                    .with_user(user)
                    .search(
                        [
                            ("partner_id.commercial_partner_id", "=", customer.id),
                            ("state", "=", "sale"),
                            ("company_id", "=", user.company_id.id),
                            ("date_order", ">=", since),
                        ]
                    )
                )
                spend = sum(order.amount_untaxed / (order.currency_rate or 1.0) for order in orders)
                self.assertGreater(customer.logistics_annual_spend, 0.0, f"{customer.name} has no spend in the demo")
                self.assertEqual(
                    currency.compare_amounts(spend, customer.logistics_annual_spend),
                    0,
                    f"{user.login}: the {len(orders)} orders of {customer.name} they can read sum to {spend}, "
                    f"its annual spend is {customer.logistics_annual_spend}",
                )

    def test_sales_smart_button(self):
        """The customer's Sales smart button counts, for each demo role user,
        every order of the customer and its contacts."""
        for user in self.users:
            self.env.invalidate_all()
            for customer in self.customers:
                all_orders = self.env["sale.order"].search_count(
                    [("partner_id.commercial_partner_id", "=", customer.id)]
                )
                count = customer.with_user(user).sale_order_count
                self.assertGreater(count, 0, f"{user.login} sees 'Sales 0' on {customer.name}")
                self.assertEqual(count, all_orders, f"{user.login}: Sales smart button of {customer.name}")


@tagged("post_install", "-at_install")
class TestRoleCategory(TransactionCase):
    def test_roles_in_sales_section(self):
        """Settings > Users: the role selector is in the Sales section of the
        user form (not under Other), one choice of the four roles in order."""
        category = self.env.ref("logistics_crm.module_category_logistics_crm")
        sales = self.env.ref("base.module_category_sales")
        entries = [entry for entry in self.env["res.groups"].get_groups_by_application() if entry[0] == category]
        self.assertEqual(len(entries), 1)
        _app, kind, groups, (_sequence, section) = entries[0]
        self.assertEqual(kind, "selection")
        self.assertNotEqual(section, "Other")
        self.assertEqual(section, sales.name)
        roles = ("specialist", "supervisor", "manager", "admin")
        self.assertEqual(groups.ids, [self.env.ref(f"logistics_crm.group_logistics_crm_{role}").id for role in roles])
