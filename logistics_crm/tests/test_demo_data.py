"""The demo data as its users see it: each demo role user has the Sales app and
reads the confirmed orders that make each demo customer's annual spend; the
complaint desk has a year of complaints in every state; the satisfaction
surveys have a year of answers, improving towards the target; and the Logistics CRM
roles are offered in the Sales section of the user form.

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

from ..models.logistics_complaint import OPEN_STATES

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
# the demo files, in the order of the manifest
DEMO_FILES = (
    "demo/logistics_crm_demo.xml",
    "demo/logistics_complaint_demo.xml",
    "demo/logistics_survey_demo.xml",
    "demo/loyalty_demo.xml",
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
class TestDemoComplaints(TransactionCase):
    """The demo complaint desk (demo/logistics_complaint_demo.xml): a year of
    complaints in every state, with their SLA clock, resolutions,
    compensation and ratings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "logistics_crm")])
        if not module.demo:
            # the survey demo files two complaints (its channel) from low answers
            for path in DEMO_FILES:
                convert_file(cls.env, "logistics_crm", path, {}, mode="init", noupdate=True, kind="demo")
        ids = (
            cls.env["ir.model.data"]
            .search([("module", "=", "logistics_crm"), ("model", "=", "logistics.complaint")])
            .mapped("res_id")
        )
        cls.complaints = cls.env["logistics.complaint"].browse(ids)
        cls.env.flush_all()
        # the instant the demo was loaded: its dates are relative to it (the
        # database may be older than today)
        cls.loaded = max(cls.complaints.mapped("create_date"))
        cls.now = Datetime.now()

    def test_size_and_states(self):
        self.assertGreaterEqual(len(self.complaints), 25)
        self.assertLessEqual(len(self.complaints), 40)
        states = [state for state, _label in self.complaints._fields["state"].selection]
        self.assertEqual(set(self.complaints.mapped("state")), set(states), "a demo complaint in every state")

    def test_spread_over_the_year(self):
        """Received over the past year (at least 9 months), nothing in the
        future; the clock's dates in order."""
        since = self.loaded - timedelta(days=365)
        for complaint in self.complaints:
            received = complaint.date_received
            self.assertTrue(since <= received <= self.loaded, f"{complaint.summary}: received {received}")
            for fname in ("first_response_date", "resolution_date", "waiting_since"):
                date = complaint[fname]
                if date:
                    self.assertTrue(received <= date <= self.now, f"{complaint.summary}: {fname} {date}")
            for message in complaint.message_ids:
                self.assertLessEqual(message.date, self.now, f"{complaint.summary}: a message in the future")
        months = {complaint.date_received.strftime("%Y-%m") for complaint in self.complaints}
        self.assertGreaterEqual(len(months), 9, f"received in the months {sorted(months)}")
        old = self.complaints.filtered(lambda c: c.date_received < self.loaded - timedelta(days=180))
        self.assertGreaterEqual(len(old), 8, "half of the year behind holds complaints too")

    def test_variety(self):
        complaints = self.complaints
        # complaints from a survey are filed from the survey (its own demo)
        channels = {channel for channel, _label in complaints._fields["channel"].selection} - {"survey"}
        self.assertEqual(set(complaints.mapped("channel")) - {"survey"}, channels, "every other channel")
        categories = self.env["logistics.complaint.category"].search([])
        self.assertGreaterEqual(len(complaints.category_id), len(categories) - 1, "most categories")
        self.assertGreaterEqual(len(set(complaints.mapped("severity"))), 4, "every severity")
        customers = complaints.commercial_partner_id
        self.assertGreaterEqual(len(customers), 10)
        self.assertGreaterEqual(len(set(customers.mapped("logistics_grade"))), 3, "customers of different grades")
        specialist = self.env.ref("logistics_crm.user_specialist_demo")
        supervisor = self.env.ref("logistics_crm.user_supervisor_demo")
        self.assertEqual(complaints.user_id, specialist | supervisor, "owned by the demo specialist and supervisor")
        self.assertGreaterEqual(len(complaints.filtered("picking_id")), 20, "about their deliveries")
        for complaint in complaints.filtered("picking_id"):
            self.assertEqual(complaint.sale_order_id, complaint.picking_id.sale_id, complaint.summary)
            self.assertLessEqual(complaint.picking_id.date_done, complaint.date_received, complaint.summary)
        billed = complaints.filtered(lambda c: c.sale_order_id and not c.picking_id)
        self.assertTrue(billed, "a complaint about an order (billing)")
        for complaint in complaints.filtered("sale_order_id"):
            self.assertEqual(complaint.sale_order_id.partner_id.commercial_partner_id, complaint.commercial_partner_id)
            self.assertLessEqual(complaint.sale_order_id.date_order, complaint.date_received, complaint.summary)

    def test_resolutions(self):
        """What was resolved says why, who was liable and what was done."""
        done = self.complaints.filtered(lambda c: c.state in ("resolved", "closed"))
        self.assertGreaterEqual(len(done), 15)
        for complaint in done:
            self.assertTrue(complaint.cause_id, complaint.summary)
            self.assertTrue(complaint.liable_party, complaint.summary)
            self.assertTrue((complaint.corrective_action or "").strip(), complaint.summary)
            self.assertTrue(complaint.first_response_date and complaint.resolution_date, complaint.summary)
        self.assertGreaterEqual(len(set(done.mapped("liable_party"))), 3)
        self.assertGreaterEqual(len(done.cause_id), 4)

    def test_compensation(self):
        states = self.complaints.mapped("compensation_state")
        for state in ("granted", "to_approve", "approved", "refused"):
            self.assertIn(state, states, f"a compensation {state}")
        for complaint in self.complaints.filtered(lambda c: c.compensation_state == "granted"):
            self.assertLessEqual(complaint.compensation_amount, complaint.compensation_limit, complaint.summary)
        approved = self.complaints.filtered(lambda c: c.compensation_state == "approved")
        self.assertEqual(approved.mapped("compensation_approved_amount"), approved.mapped("compensation_amount"))
        for complaint in self.complaints.filtered(lambda c: c.compensation_state in ("to_approve", "approved")):
            self.assertGreater(complaint.compensation_amount, complaint.compensation_limit, complaint.summary)
        waiting = self.complaints.filtered(lambda c: c.compensation_state == "to_approve")
        self.assertTrue(all(state in OPEN_STATES for state in waiting.mapped("state")), "waiting: not resolved")

    def test_repeats(self):
        repeats = self.complaints.filtered("is_repeat")
        self.assertTrue(repeats)
        self.assertLess(len(repeats), len(self.complaints) / 4, "repeats are the exception")
        for complaint in repeats:
            earlier = self.complaints.filtered(
                lambda c, complaint=complaint: (
                    c.commercial_partner_id == complaint.commercial_partner_id
                    and c.category_id == complaint.category_id
                    and complaint.date_received - timedelta(days=90) <= c.date_received < complaint.date_received
                    and c.state != "cancelled"
                )
            )
            self.assertTrue(earlier, f"{complaint.summary}: a repeat of nothing")

    def test_sla(self):
        """Deadlines met and missed, as their dates say."""
        statuses = self.complaints.mapped("sla_status")
        self.assertGreaterEqual(statuses.count("met"), 5)
        self.assertGreaterEqual(statuses.count("breached"), 3)
        self.assertIn("on_track", statuses)
        for complaint in self.complaints.filtered(lambda c: c.state in ("resolved", "closed")):
            on_time = (
                complaint.first_response_date <= complaint.first_response_deadline
                and complaint.resolution_date <= complaint.resolution_deadline
            )
            self.assertEqual(complaint.sla_status, "met" if on_time else "breached", complaint.summary)
        for complaint in self.complaints.filtered(lambda c: c.state in ("new", "acknowledged", "in_progress")):
            self.assertGreater(complaint.date_received, self.loaded - timedelta(days=30), "open: recent")
            if complaint.sla_status != "breached":
                self.assertGreater(complaint.resolution_deadline, self.loaded, complaint.summary)

    def test_ratings(self):
        """Customers rated most closed complaints: satisfaction per month and
        per category has figures."""
        closed = self.complaints.filtered(lambda c: c.state == "closed")
        rated = closed.filtered("rating_last_value")
        self.assertGreaterEqual(len(rated), len(closed) * 2 / 3)
        self.assertFalse((self.complaints - closed).filtered("rating_last_value"), "only closed ones are rated")
        ratings = self.env["rating.rating"].search(
            [("res_model", "=", "logistics.complaint"), ("res_id", "in", self.complaints.ids), ("consumed", "=", True)]
        )
        self.assertEqual(len(ratings), len(rated))
        self.assertGreaterEqual(len(set(ratings.mapped("rating"))), 3, "good and bad ratings")
        for rating in ratings:
            complaint = self.complaints.browse(rating.res_id)
            self.assertTrue(complaint.date_received < rating.create_date <= self.now, complaint.summary)
            self.assertEqual(rating.partner_id, complaint.partner_id)
        groups = self.env["logistics.complaint"]._read_group(
            [("id", "in", rated.ids)], ["date_received:month"], ["rating_last_value:avg"]
        )
        self.assertGreaterEqual(len(groups), 8, "satisfaction in most months")
        self.assertGreaterEqual(len(rated.category_id), 6, "satisfaction in most categories")

    def test_chatter(self):
        notes = self.env["mail.message"].search(
            [
                ("model", "=", "logistics.complaint"),
                ("res_id", "in", self.complaints.ids),
                ("message_type", "=", "comment"),
                ("rating_ids", "=", False),
            ]
        )
        self.assertGreaterEqual(len(notes), 4)
        self.assertGreaterEqual(len(set(notes.mapped("res_id"))), 3)
        for message in notes:
            self.assertGreater(message.date, self.complaints.browse(message.res_id).date_received)


@tagged("post_install", "-at_install")
class TestDemoSurveys(TransactionCase):
    """The demo satisfaction surveys (demo/logistics_survey_demo.xml): a year
    of invitations about the demo customers' deliveries, answered through
    Odoo's survey engine, CSAT improving over the year, and the customers'
    figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "logistics_crm")])
        if not module.demo:
            for path in DEMO_FILES:
                convert_file(cls.env, "logistics_crm", path, {}, mode="init", noupdate=True, kind="demo")
        customers = cls.env["res.partner"].concat(*(cls.env.ref(xmlid) for xmlid in DEMO_CUSTOMERS))
        cls.surveys = cls.env["logistics.survey"].search([("partner_id", "in", customers.ids)])
        cls.answered = cls.surveys.filtered(lambda s: s.state == "answered")
        cls.company = cls.env.ref("base.main_company")
        cls.env.flush_all()
        # the instant the demo was loaded: its dates are relative to it
        cls.loaded = max(cls.surveys.mapped("create_date"))
        cls.now = Datetime.now()

    def test_analysis_matches_the_answers(self):
        """The analysis' CSAT and NPS (averages of the stored per-answer
        figures) are those of the answers, dissatisfied ones and passives
        included."""
        satisfied = len(self.answered.filtered(lambda s: s.csat_score >= 4))
        promoters = len(self.answered.filtered(lambda s: s.nps_category == "promoter"))
        detractors = len(self.answered.filtered(lambda s: s.nps_category == "detractor"))
        [(csat, nps)] = self.env["logistics.survey"]._read_group(
            [("id", "in", self.answered.ids)], [], ["csat_percent:avg", "nps_value:avg"]
        )
        self.assertLess(satisfied, len(self.answered), "some answers are not satisfied")
        self.assertAlmostEqual(csat, 100.0 * satisfied / len(self.answered))
        self.assertAlmostEqual(nps, 100.0 * (promoters - detractors) / len(self.answered))

    def test_size_and_states(self):
        self.assertTrue(self.company.logistics_survey_enabled, "the demo company surveys its customers")
        self.assertGreaterEqual(len(self.surveys), 60)
        self.assertLessEqual(len(self.surveys), 90)
        states = [state for state, _label in self.surveys._fields["state"].selection]
        self.assertEqual(set(self.surveys.mapped("state")), set(states), "an invitation in every state")
        self.assertGreaterEqual(len(self.answered), len(self.surveys) * 0.7, "most answered")

    def test_spread_over_the_year(self):
        """Sent over the past year, answered after being sent and in at least
        9 of its 12 months, nothing in the future; about real deliveries."""
        since = self.loaded - timedelta(days=365)
        for survey in self.surveys:
            if survey.state == "scheduled":
                self.assertFalse(survey.sent_date, survey.display_name)
                continue
            self.assertTrue(since <= survey.sent_date <= self.loaded, f"{survey.display_name}: sent {survey.sent_date}")
            if survey.state != "cancelled":
                # a cancelled link stopped working when it was cancelled
                self.assertEqual(survey.deadline, survey.user_input_id.deadline, survey.display_name)
            self.assertEqual(survey.picking_id.state, "done", survey.display_name)
            self.assertLessEqual(survey.picking_id.date_done, survey.sent_date, survey.display_name)
            self.assertEqual(survey.partner_id, survey.picking_id.partner_id.commercial_partner_id)
            for message in survey.message_ids:
                self.assertLessEqual(message.date, self.now, f"{survey.display_name}: a message in the future")
        for survey in self.answered:
            self.assertTrue(
                survey.sent_date < survey.answered_date <= min(survey.deadline, self.now),
                f"{survey.display_name}: sent {survey.sent_date}, answered {survey.answered_date}",
            )
        months = {survey.answered_date.strftime("%Y-%m") for survey in self.answered}
        self.assertGreaterEqual(len(months), 9, f"answered in the months {sorted(months)}")
        for survey in self.surveys.filtered(lambda s: s.state == "sent"):
            self.assertGreater(survey.deadline, self.loaded, f"{survey.display_name}: sent, its link expired")
        for survey in self.surveys.filtered(lambda s: s.state == "expired"):
            self.assertLess(survey.deadline, self.loaded, f"{survey.display_name}: expired, its link valid")

    def test_answers_through_survey(self):
        """Each answer is Odoo's survey answer, done, whose lines gave the
        scores."""
        for survey in self.answered:
            user_input = survey.user_input_id
            self.assertEqual(user_input.state, "done", survey.display_name)
            scores = {
                line.question_id.logistics_dimension: line.value_scale
                for line in user_input.user_input_line_ids
                if line.answer_type == "scale"
            }
            self.assertEqual(scores["overall"], survey.csat_score, survey.display_name)
            self.assertEqual(scores["recommend"], survey.nps_score, survey.display_name)
            self.assertEqual(scores["timeliness"], survey.score_timeliness, survey.display_name)
        self.assertFalse(
            self.surveys.filtered(lambda s: s.state != "answered").user_input_id.filtered(lambda a: a.state == "done")
        )
        self.assertGreaterEqual(len(self.answered.filtered("comment")), 5, "a few comments")

    def test_csat_trend(self):
        """CSAT improves over the year, from about 75 % towards the target."""

        def csat(surveys):
            return 100.0 * len(surveys.filtered(lambda s: s.csat_score >= 4)) / len(surveys)

        quarters = [
            self.answered.filtered(
                lambda s, q=q: (
                    self.loaded - timedelta(days=365 - 91.25 * q)
                    <= s.sent_date
                    < self.loaded - timedelta(days=365 - 91.25 * (q + 1))
                )
            )
            for q in range(4)
        ]
        for quarter in quarters:
            self.assertGreaterEqual(len(quarter), 8, "answers in every quarter")
        first, last = csat(quarters[0]), csat(quarters[-1])
        self.assertGreater(last, first, f"CSAT of the first quarter {first}, of the last {last}")
        self.assertLess(first, self.company.logistics_csat_target)
        self.assertGreaterEqual(last, self.company.logistics_csat_target - 5)
        self.assertAlmostEqual(csat(self.answered), sum(self.answered.mapped("csat_percent")) / len(self.answered))

    def test_nps_and_follow_up(self):
        categories = self.answered.mapped("nps_category")
        self.assertGreater(categories.count("promoter"), categories.count("detractor"), "NPS positive")
        self.assertGreaterEqual(categories.count("detractor"), 3, "some detractors")
        self.assertIn("passive", categories)
        low = self.answered.filtered("is_low")
        self.assertTrue(low.filtered(lambda s: s.nps_category != "detractor"), "a low dimension score")
        followed = low.filtered(lambda s: s.partner_id.user_id)
        self.assertTrue(followed.activity_ids, "the salesperson calls back on a recent low answer")
        done = self.env["mail.message"].search(
            [("model", "=", "logistics.survey"), ("res_id", "in", followed.ids), ("mail_activity_type_id", "!=", False)]
        )
        self.assertTrue(done, "older follow-ups done")
        complaints = self.surveys.complaint_ids
        self.assertTrue(1 <= len(complaints) <= 3, "a complaint or two from low answers")
        for complaint in complaints:
            self.assertEqual(complaint.channel, "survey")
            self.assertTrue(complaint.survey_id.is_low)
            self.assertGreater(complaint.date_received, complaint.survey_id.answered_date)
            self.assertLessEqual(complaint.date_received, self.now)

    def test_no_mail_sent(self):
        """Nobody is mailed about a year of past invitations."""
        mails = self.env["mail.mail"].search_count(
            [
                "|",
                "&",
                ("model", "=", "logistics.survey"),
                ("res_id", "in", self.surveys.ids),
                "&",
                ("model", "=", "logistics.complaint"),
                ("res_id", "in", self.surveys.complaint_ids.ids),
            ]
        )
        self.assertEqual(mails, 0)

    def test_customer_figures(self):
        """The customers surveyed have their satisfaction figures."""
        surveyed = self.surveys.filtered(lambda s: s.state in ("sent", "answered", "expired")).partner_id
        self.assertGreaterEqual(len(surveyed), 15)
        for customer in surveyed.with_company(self.company):
            self.assertGreater(customer.logistics_survey_count, 0, customer.name)
            self.assertGreater(customer.logistics_survey_response_rate, 0.0, customer.name)
        for customer in self.answered.partner_id.with_company(self.company):
            answers = self.answered.filtered(lambda s, c=customer: s.partner_id == c)
            if any(score >= 4 for score in answers.mapped("csat_score")):
                self.assertGreater(customer.logistics_csat, 0.0, customer.name)


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


@tagged("post_install", "-at_install")
class TestDemoLoyalty(TransactionCase):
    """The demo loyalty ledger (demo/loyalty_demo.xml): every tier and every
    kind of entry occurs, balances are their ledgers, and points expire."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "logistics_crm")])
        if not module.demo:
            for path in DEMO_FILES:
                convert_file(cls.env, "logistics_crm", path, {}, mode="init", noupdate=True, kind="demo")
        customers = cls.env["res.partner"].concat(*(cls.env.ref(xmlid) for xmlid in DEMO_CUSTOMERS))
        cls.company = cls.env.ref("base.main_company")
        cls.cards = cls.env["loyalty.card"].search(
            [("logistics_company_id", "=", cls.company.id), ("partner_id", "in", customers.ids)]
        )
        cls.env.flush_all()

    def test_tiers_and_kinds(self):
        tiers = self.env["logistics.loyalty.tier"].search([])
        self.assertEqual(set(self.cards.logistics_tier_id), set(tiers), "every tier occurs")
        kinds = {kind for kind, _label in self.env["loyalty.history"]._fields["logistics_kind"].selection}
        entries = self.env["loyalty.history"].search([("card_id", "in", self.cards.ids)])
        self.assertEqual(set(entries.mapped("logistics_kind")), kinds, "every kind of entry occurs")
        self.assertTrue(entries.filtered(lambda e: e.logistics_kind == "earn" and e.logistics_picking_id))

    def test_balances_and_expiry(self):
        self.assertFalse(self.env["loyalty.card"]._logistics_check_ledger(), "balances are their ledgers")
        self.assertTrue(any(self.cards.mapped("logistics_expiring_points")), "points expire soon")
        self.assertFalse(self.env["loyalty.history"]._logistics_expire(), "the demo ran the expiry already")
