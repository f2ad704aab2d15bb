"""Who may do what in Logistics CRM: the one declaration.

Every row says what a user does (``label``, the text of the row in the role
table of README.md), on what (``kind`` and ``target``), and the lowest role
allowed to do it (``lowest``; None: nobody, the system does it). Each role
includes the one before it, so a row is allowed exactly for ``lowest`` and
the roles after it in ``ROLES``.

- ``test_access_matrix.py`` performs every operation of every row as a real
  user of every role and checks that it is allowed exactly for those roles;
- ``tests/test_readme_roles.py`` (repository root) checks that README.md holds
  the table rendered from these rows by ``render_table()``;
- ``scripts/roles-table`` prints that table.

Change a right here first, then the code, then paste the table into the
README. Plain data: nothing here imports Odoo.

Kinds, targets and operations:

- ``field``: ``(model, field names)``; ``read`` (``read([field])`` as the
  user), ``form`` (the field shows in the model's form view as rendered for
  the user), ``write``, ``create`` (a new record with that field set): each
  field of the row is checked on its own.
- ``model``: ``(model names)``; ``read`` (find a record and read the fields
  of its form view, as the web client opens it), ``create``, ``write``,
  ``unlink``.
- ``menu``: ``(menu xmlids)``; ``see``: the menu and all its ancestors are
  visible to the user.
- ``action``: ``(model, method, list view xmlid)``; ``button`` (the
  method, as the form's button calls it), ``list_button`` (the button of the
  list's header, shown on selected records, as rendered for the user).

``variants``: the extra Odoo groups given to the users of every role for this
row (Odoo's own rights, not Logistics CRM roles). Every variant is checked and
must give the same answer; by default the users have no extra group (in
particular no *Contact Creation*, ``base.group_partner_manager``).
"""

from typing import NamedTuple

ROLES = ("user", "specialist", "supervisor", "manager", "admin")
ROLE_TITLES = {
    "user": "Internal user",
    "specialist": "Specialist",
    "supervisor": "Supervisor",
    "manager": "Manager",
    "admin": "Administrator",
}
ROLE_GROUPS = {
    "user": "base.group_user",
    "specialist": "logistics_crm.group_logistics_crm_specialist",
    "supervisor": "logistics_crm.group_logistics_crm_supervisor",
    "manager": "logistics_crm.group_logistics_crm_manager",
    "admin": "logistics_crm.group_logistics_crm_admin",
}

CONTACT_CREATION = "base.group_partner_manager"
SETTINGS = "base.group_system"
SALESPERSON = "sales_team.group_sale_salesman"

WITHOUT_EXTRA_GROUPS = ((),)
WITH_AND_WITHOUT_CONTACT_CREATION = ((), (CONTACT_CREATION,))
WITH_CONTACT_CREATION = ((CONTACT_CREATION,),)

KINDS = {
    "field": ("read", "form", "write", "create"),
    "model": ("read", "create", "write", "unlink"),
    "menu": ("see",),
    "action": ("button", "list_button"),
}

CLASSIFICATION = ("logistics_customer_type", "logistics_region_tier")
GOVERNMENT_SIZE = ("logistics_government_level", "logistics_size")
CREDIT_STATUS = ("logistics_credit_status",)
OVERRIDE = ("logistics_grade_override", "logistics_grade_override_reason")
SYSTEM = (
    "logistics_annual_spend",
    "logistics_monthly_orders",
    "logistics_grade_computed",
    "logistics_grade_rule_id",
    "logistics_grade_credit_demoted",
    "logistics_grade",
    "logistics_grade_date",
)
SERVICE_LEVEL = (
    "logistics_service_level_id",
    "logistics_visit_schedule",
    "logistics_service_commitments",
    "logistics_commercial_grade",
    "logistics_first_response_hours",
    "logistics_resolution_hours",
    "logistics_delivery_priority",
    "logistics_account_manager_required",
)
# what the Logistics tab of a customer shows (the two technical fields too)
LOGISTICS_TAB = (
    *CLASSIFICATION,
    *GOVERNMENT_SIZE,
    *CREDIT_STATUS,
    *OVERRIDE,
    *SYSTEM,
    *SERVICE_LEVEL,
    "logistics_grade_history_ids",
    "logistics_is_supervisor",
    "logistics_currency_id",
)
SURVEY_FIGURES = (
    "logistics_csat",
    "logistics_nps",
    "logistics_survey_response_rate",
    "logistics_survey_count",
)
SERVICE_KPIS = (
    "logistics_delivery_count",
    "logistics_on_time_rate",
    "logistics_in_full_rate",
    "logistics_otif_rate",
    "logistics_lead_time_days",
    "logistics_complaint_rate",
    "logistics_damage_loss_rate",
)
CUSTOMER_VALUE = (
    "logistics_last_order_date",
    "logistics_rfm_recency",
    "logistics_rfm_frequency",
    "logistics_rfm_monetary",
    "logistics_rfm_segment",
    "logistics_churn_risk",
    "logistics_churn_reason",
    "logistics_health_score",
)
CONTACT_DATA = ("name", "phone")
CONFIGURATION_MODELS = ("logistics.grade.rule", "logistics.service.level")
CREATE_WRITE_UNLINK = ("create", "write", "unlink")
COMPLAINT_CONFIGURATION_MODELS = ("logistics.complaint.category", "logistics.complaint.cause")


class Row(NamedTuple):
    label: str
    kind: str
    target: tuple
    operations: tuple
    lowest: str | None
    variants: tuple = WITHOUT_EXTRA_GROUPS


ROWS = (
    # customers: Odoo's own rights
    Row(
        "Read customers' contact data (name, address, phone…)",
        "field",
        ("res.partner", CONTACT_DATA),
        ("read", "form"),
        "user",
    ),
    Row(
        "Edit customers' contact data, with Odoo's *Contact Creation*",
        "field",
        ("res.partner", CONTACT_DATA),
        ("write",),
        "user",
        WITH_CONTACT_CREATION,
    ),
    Row(
        "Edit customers' contact data, without *Contact Creation*",
        "field",
        ("res.partner", CONTACT_DATA),
        ("write",),
        None,
    ),
    # customers: logistics fields
    Row(
        "See the *Logistics* tab of customers: classification, credit status, size, figures, grades, "
        "override, service level and grade history",
        "field",
        ("res.partner", LOGISTICS_TAB),
        ("read", "form"),
        "specialist",
    ),
    Row(
        "See the customer's grade on a sale order (with Odoo's *Sales* rights)",
        "field",
        ("sale.order", ("logistics_customer_grade",)),
        ("read", "form"),
        "user",
        ((SALESPERSON,),),
    ),
    Row(
        "Set the customer type and region tier",
        "field",
        ("res.partner", CLASSIFICATION),
        ("write",),
        "specialist",
        WITH_AND_WITHOUT_CONTACT_CREATION,
    ),
    Row(
        "Set the size of a government customer (national, provincial or city level)",
        "field",
        ("res.partner", GOVERNMENT_SIZE),
        ("write",),
        "specialist",
        WITH_AND_WITHOUT_CONTACT_CREATION,
    ),
    Row(
        "Set the industry, without *Contact Creation*",
        "field",
        ("res.partner", ("industry_id",)),
        ("write",),
        "specialist",
    ),
    Row(
        "Set the credit status",
        "field",
        ("res.partner", CREDIT_STATUS),
        ("write",),
        "supervisor",
        WITH_AND_WITHOUT_CONTACT_CREATION,
    ),
    Row(
        "Override a grade (with a reason)",
        "field",
        ("res.partner", OVERRIDE),
        ("write",),
        "supervisor",
        WITH_AND_WITHOUT_CONTACT_CREATION,
    ),
    Row(
        "Type in figures or grades (annual spend, orders per month, computed grade, grade…): the system computes them",
        "field",
        ("res.partner", SYSTEM),
        ("write",),
        None,
        WITH_AND_WITHOUT_CONTACT_CREATION,
    ),
    Row(
        "Create a customer with its type, region tier or government size (with *Contact Creation*)",
        "field",
        ("res.partner", CLASSIFICATION + GOVERNMENT_SIZE),
        ("create",),
        "specialist",
        WITH_CONTACT_CREATION,
    ),
    Row(
        "Create a customer with a credit status or a grade override (with *Contact Creation*)",
        "field",
        ("res.partner", CREDIT_STATUS + OVERRIDE),
        ("create",),
        "supervisor",
        WITH_CONTACT_CREATION,
    ),
    Row(
        "Create a customer with figures or grades (with *Contact Creation*)",
        "field",
        ("res.partner", SYSTEM),
        ("create",),
        None,
        WITH_CONTACT_CREATION,
    ),
    Row(
        "Recompute grades: *Recompute Grade* on a customer, *Recompute Grades* on selected customers",
        "action",
        (
            "res.partner",
            "action_logistics_recompute_grade",
            "logistics_crm.res_partner_view_list_logistics_crm",
        ),
        ("button", "list_button"),
        "specialist",
        WITH_AND_WITHOUT_CONTACT_CREATION,
    ),
    # configuration and audit trail
    Row(
        "Read grading rules and service levels",
        "model",
        CONFIGURATION_MODELS,
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit and delete grading rules and service levels",
        "model",
        CONFIGURATION_MODELS,
        CREATE_WRITE_UNLINK,
        "admin",
    ),
    Row(
        "Read the grade history",
        "model",
        ("logistics.grade.history",),
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit or delete grade history entries (the system writes them)",
        "model",
        ("logistics.grade.history",),
        CREATE_WRITE_UNLINK,
        None,
    ),
    # complaints
    Row(
        "See a customer's complaints (smart button with the count, open ones highlighted; its open complaints listed)",
        "field",
        (
            "res.partner",
            ("logistics_complaint_count", "logistics_open_complaint_count", "logistics_open_complaint_ids"),
        ),
        ("read", "form"),
        "specialist",
    ),
    Row(
        "Read every complaint of one's companies, file complaints (and work on one's own)",
        "model",
        ("logistics.complaint",),
        ("read", "create"),
        "specialist",
    ),
    Row(
        "Work on complaints another user owns, delete complaints",
        "model",
        ("logistics.complaint",),
        ("write", "unlink"),
        "supervisor",
    ),
    Row(
        "Approve compensation above the discretion",
        "action",
        ("logistics.complaint", "action_approve_compensation", None),
        ("button",),
        "manager",
    ),
    Row(
        "Refuse compensation above the discretion",
        "action",
        ("logistics.complaint", "action_refuse_compensation", None),
        ("button",),
        "manager",
    ),
    Row(
        "Read the complaint analysis (SLA compliance, hours to respond and resolve, satisfaction)",
        "model",
        ("logistics.complaint.report",),
        ("read",),
        "manager",
    ),
    Row(
        "Create, edit or delete complaint analysis lines (a view of the complaints)",
        "model",
        ("logistics.complaint.report",),
        CREATE_WRITE_UNLINK,
        None,
    ),
    Row(
        "Read complaint categories and root causes",
        "model",
        COMPLAINT_CONFIGURATION_MODELS,
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit and delete complaint categories and root causes",
        "model",
        COMPLAINT_CONFIGURATION_MODELS,
        CREATE_WRITE_UNLINK,
        "admin",
    ),
    # satisfaction surveys
    Row(
        "See a customer's satisfaction figures (CSAT, NPS, response rate, surveys sent over 365 days)",
        "field",
        ("res.partner", SURVEY_FIGURES),
        ("read", "form"),
        "specialist",
    ),
    Row(
        "Type in satisfaction figures (the system computes them from the answers)",
        "field",
        ("res.partner", SURVEY_FIGURES),
        ("write", "create"),
        None,
        WITH_CONTACT_CREATION,
    ),
    Row(
        "Read the satisfaction surveys of one's companies (invitations, answers, scores)",
        "model",
        ("logistics.survey",),
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit or delete satisfaction surveys by hand (the system records invitations and answers)",
        "model",
        ("logistics.survey",),
        CREATE_WRITE_UNLINK,
        None,
    ),
    # service KPIs, value and relationship
    Row(
        "See a customer's service KPIs (on time, in full, OTIF, lead time, complaint rates), RFM segment, "
        "churn warning, health score, last visit and when it was welcomed",
        "field",
        ("res.partner", (*SERVICE_KPIS, *CUSTOMER_VALUE, "logistics_last_visit_date", "logistics_welcomed_date")),
        ("read", "form"),
        "specialist",
    ),
    Row(
        "Type in service KPIs, value figures, visit or welcome dates (the system computes them; a visit is "
        "recorded when its activity is marked done, the welcome when the first order is confirmed)",
        "field",
        ("res.partner", (*SERVICE_KPIS, *CUSTOMER_VALUE, "logistics_last_visit_date", "logistics_welcomed_date")),
        ("write", "create"),
        None,
        WITH_CONTACT_CREATION,
    ),
    Row(
        "See a customer's visits, care dates and whether it lacks the account manager its level requires",
        "field",
        ("res.partner", ("logistics_visit_count", "logistics_care_date_ids", "logistics_needs_account_manager")),
        ("read", "form"),
        "specialist",
    ),
    Row(
        "Read, add, edit and delete customers' care dates (anniversaries, holidays, birthdays)",
        "model",
        ("logistics.care.date",),
        ("read", *CREATE_WRITE_UNLINK),
        "specialist",
    ),
    Row(
        "Read the delivery service analysis (on time, in full, OTIF by month, grade, region, industry)",
        "model",
        ("logistics.delivery.report",),
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit or delete delivery analysis lines (a view of the deliveries)",
        "model",
        ("logistics.delivery.report",),
        CREATE_WRITE_UNLINK,
        None,
    ),
    Row(
        "Read the win-backs of customers at risk of churning (action taken, ordered again within 90 days)",
        "model",
        ("logistics.winback",),
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit or delete win-backs (the system records them)",
        "model",
        ("logistics.winback",),
        CREATE_WRITE_UNLINK,
        None,
    ),
    Row(
        "Read the monthly customer experience reports (figures, lines, PDF) and produce one for any month",
        "model",
        ("logistics.cx.report", "logistics.cx.report.line"),
        ("read",),
        "manager",
    ),
    Row(
        "Create, edit or delete customer experience reports by hand (the system produces them; a rerun replaces)",
        "model",
        ("logistics.cx.report", "logistics.cx.report.line"),
        CREATE_WRITE_UNLINK,
        None,
    ),
    Row(
        "Read the customer data access log (exports, bulk reads, credit status and override changes)",
        "model",
        ("logistics.access.log",),
        ("read",),
        "manager",
    ),
    Row(
        "Create, edit or delete access log entries (the system records them and deletes them after the retention)",
        "model",
        ("logistics.access.log",),
        CREATE_WRITE_UNLINK,
        None,
    ),
    # loyalty
    Row(
        "See a customer's loyalty card",
        "field",
        ("res.partner", ("logistics_loyalty_card_id",)),
        ("read",),
        "specialist",
    ),
    Row(
        "Read a customer's loyalty balance, tier, points earned in 12 months and points expiring soon",
        "field",
        (
            "res.partner",
            (
                "logistics_loyalty_points",
                "logistics_loyalty_points_12m",
                "logistics_loyalty_tier_id",
                "logistics_loyalty_expiring_points",
            ),
        ),
        ("read",),
        "specialist",
    ),
    Row(
        "Adjust a customer's loyalty points (a new ledger entry with its reason)",
        "action",
        ("logistics.loyalty.adjust", "action_apply", None),
        ("button",),
        "manager",
    ),
    Row(
        "Read loyalty tiers",
        "model",
        ("logistics.loyalty.tier",),
        ("read",),
        "specialist",
    ),
    Row(
        "Create, edit and delete loyalty tiers",
        "model",
        ("logistics.loyalty.tier",),
        CREATE_WRITE_UNLINK,
        "admin",
    ),
    # menus
    Row(
        "Menu *Logistics CRM › Customers* (customers, grade history)",
        "menu",
        (
            "logistics_crm.logistics_crm_menu_root",
            "logistics_crm.logistics_crm_menu_customers",
            "logistics_crm.res_partner_menu_logistics_customers",
            "logistics_crm.logistics_grade_history_menu",
        ),
        ("see",),
        "specialist",
    ),
    Row(
        "Menu *Logistics CRM › Overview* (customers by grade, to look after, at risk, breached complaints, "
        "survey and OTIF trends) and *Customers › Care Dates, Without Account Manager*",
        "menu",
        (
            "logistics_crm.logistics_crm_menu_overview",
            "logistics_crm.logistics_overview_menu_by_grade",
            "logistics_crm.logistics_overview_menu_look_after",
            "logistics_crm.logistics_overview_menu_at_risk",
            "logistics_crm.logistics_overview_menu_breached",
            "logistics_crm.logistics_overview_menu_survey_trend",
            "logistics_crm.logistics_overview_menu_otif_trend",
            "logistics_crm.logistics_care_date_menu",
            "logistics_crm.logistics_no_account_manager_menu",
        ),
        ("see",),
        "specialist",
    ),
    Row(
        "Menu *Logistics CRM › Overview › Unhappy Customers* (open complaints whose customer is clearly unhappy)",
        "menu",
        ("logistics_crm.logistics_overview_menu_unhappy",),
        ("see",),
        "supervisor",
    ),
    Row(
        "Menu *Logistics CRM › Complaints*",
        "menu",
        ("logistics_crm.logistics_complaint_menu",),
        ("see",),
        "specialist",
    ),
    Row(
        "Menu *Logistics CRM › Satisfaction Surveys*",
        "menu",
        ("logistics_crm.logistics_survey_menu",),
        ("see",),
        "specialist",
    ),
    Row(
        "Menu *Logistics CRM › Loyalty* (cards, ledger)",
        "menu",
        (
            "logistics_crm.logistics_loyalty_menu",
            "logistics_crm.logistics_loyalty_card_menu",
            "logistics_crm.logistics_loyalty_ledger_menu",
        ),
        ("see",),
        "specialist",
    ),
    Row(
        "Menu *Reporting* (customer analysis, grade changes, delivery service, complaint analysis and "
        "satisfaction, satisfaction survey analysis and trend, customer experience reports, win-back, "
        "customer data access)",
        "menu",
        (
            "logistics_crm.logistics_crm_menu_reporting",
            "logistics_crm.res_partner_menu_logistics_analysis",
            "logistics_crm.logistics_grade_history_menu_analysis",
            "logistics_crm.logistics_complaint_menu_analysis",
            "logistics_crm.logistics_complaint_menu_satisfaction",
            "logistics_crm.logistics_survey_menu_analysis",
            "logistics_crm.logistics_survey_menu_trend",
            "logistics_crm.logistics_delivery_report_menu",
            "logistics_crm.logistics_access_log_menu",
            "logistics_crm.logistics_winback_menu",
            "logistics_crm.logistics_cx_report_menu",
            "logistics_crm.logistics_cx_report_wizard_menu",
        ),
        ("see",),
        "manager",
    ),
    Row(
        "Menu *Configuration* (grading rules, service levels)",
        "menu",
        (
            "logistics_crm.logistics_crm_menu_config",
            "logistics_crm.logistics_grade_rule_menu",
            "logistics_crm.logistics_service_level_menu",
        ),
        ("see",),
        "admin",
    ),
    Row(
        "Menu *Configuration › Loyalty Tiers*",
        "menu",
        ("logistics_crm.logistics_loyalty_tier_menu",),
        ("see",),
        "admin",
    ),
    Row(
        "Menu *Configuration › Satisfaction Questionnaire* (edited in the Survey app)",
        "menu",
        ("logistics_crm.logistics_survey_menu_questionnaire",),
        ("see",),
        "admin",
    ),
    Row(
        "Menu *Configuration › Complaint Categories* and *Root Causes*",
        "menu",
        (
            "logistics_crm.logistics_complaint_category_menu",
            "logistics_crm.logistics_complaint_cause_menu",
        ),
        ("see",),
        "admin",
    ),
    Row(
        "Menu *Configuration › Settings* (size thresholds, complaint working hours), with Odoo's *Settings* access",
        "menu",
        ("logistics_crm.logistics_crm_menu_settings",),
        ("see",),
        "admin",
        ((SETTINGS,),),
    ),
)


def allowed_roles(row):
    """The roles allowed to do what ``row`` says."""
    if row.lowest is None:
        return ()
    return ROLES[ROLES.index(row.lowest) :]


def render_table(rows=ROWS):
    """The role table of README.md, in Markdown."""
    lines = [
        "| | " + " | ".join(ROLE_TITLES[role] for role in ROLES) + " |",
        "|---|" + ":-:|" * len(ROLES),
    ]
    for row in rows:
        allowed = allowed_roles(row)
        cells = ["✓" if role in allowed else "" for role in ROLES]
        lines.append(f"| {row.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
