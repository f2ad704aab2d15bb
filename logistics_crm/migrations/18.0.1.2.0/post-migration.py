"""The default grading rules follow the company's size thresholds, and are
named by what they are; government customers keep their size as their
government level.

A default rule follows a size setting only where its amount still equals that
setting in every company it grades, so no grade changes here (plain SQL:
nothing to regrade). A default rule is renamed only if it still has its old
default English name (its translations go with it; the new ones are loaded
after this script).
"""

from odoo.tools import SQL

# (rule, source field, source, own amount field, setting of res.company)
FOLLOWING = [
    ("grade_rule_a", "spend_threshold_source", "large", "min_annual_spend", "logistics_large_spend"),
    ("grade_rule_b", "spend_threshold_source", "medium", "min_annual_spend", "logistics_medium_spend"),
    ("grade_rule_c", "orders_threshold_source", "frequent", "min_monthly_orders", "logistics_frequent_orders"),
]
# {rule: (old default name, new name)}
NAMES = {
    "grade_rule_a": ("A: annual spend of 500,000 or more", "Key accounts"),
    "grade_rule_b": ("B: annual spend of 100,000 or more", "Major customers"),
    "grade_rule_c": ("C: annual spend of 10,000 or more, or 3 orders a month", "Regular customers"),
    "grade_rule_d": ("D: every other customer", "Other customers"),
}


def _is_default_rule(xmlid):
    """The condition that ``rule`` is the module's default rule ``xmlid``."""
    return SQL(
        """rule.id = (SELECT res_id FROM ir_model_data
                      WHERE module = 'logistics_crm' AND model = 'logistics.grade.rule' AND name = %s)""",
        xmlid,
    )


def migrate(cr, version):
    for xmlid, source_field, source, amount_field, setting in FOLLOWING:
        cr.execute(
            SQL(
                """
                UPDATE logistics_grade_rule rule SET %(source_field)s = %(source)s
                 WHERE %(default_rule)s
                   AND rule.%(amount_field)s = ALL(
                        SELECT company.%(setting)s FROM res_company company
                         WHERE rule.company_id IS NULL OR company.id = rule.company_id)
                """,
                source_field=SQL.identifier(source_field),
                source=source,
                default_rule=_is_default_rule(xmlid),
                amount_field=SQL.identifier(amount_field),
                setting=SQL.identifier(setting),
            )
        )
    for xmlid, (old, new) in NAMES.items():
        cr.execute(
            SQL(
                "UPDATE logistics_grade_rule rule SET name = jsonb_build_object('en_US', %s) "
                "WHERE %s AND rule.name->>'en_US' = %s",
                new,
                _is_default_rule(xmlid),
                old,
            )
        )
    # the size set by hand on a government customer (per company) is now its
    # government level (one for all companies): the first one found
    cr.execute(
        """
        UPDATE res_partner partner
           SET logistics_government_level = (
                SELECT size.value FROM jsonb_each_text(partner.logistics_size) size
                 WHERE size.value IN ('national', 'provincial', 'city')
                 ORDER BY size.key LIMIT 1)
         WHERE partner.logistics_customer_type = 'government'
           AND partner.logistics_government_level IS NULL
           AND partner.logistics_size IS NOT NULL
        """
    )
