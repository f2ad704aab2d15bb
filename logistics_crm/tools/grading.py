"""Pure grading arithmetic: plain values in, plain values out.

Everything that decides a customer's size or grade from its figures lives
here, so that the rules have one obvious place to read and change, and the
edge cases can be tested without a database.
"""

from dataclasses import dataclass, field

GRADES = ("A", "B", "C", "D")

# Days in the trailing window the figures are computed on, and the number of
# months it stands for (orders per month = orders in the window / 12).
WINDOW_DAYS = 365
WINDOW_MONTHS = 12

CREDIT_DEMOTING = ("poor", "blocked")


@dataclass(frozen=True)
class GradeRule:
    """One grading rule, as plain values.

    A rule matches when the customer passes its filters (customer types,
    industries; empty means any) and its thresholds: with ``match_all`` every
    threshold that is set must be reached, otherwise any one of them is
    enough. A rule without thresholds matches every customer that passes its
    filters (a catch-all, typically the last rule).
    """

    grade: str
    min_annual_spend: float = 0.0
    min_monthly_orders: float = 0.0
    match_all: bool = False
    customer_types: frozenset = field(default_factory=frozenset)
    industry_ids: frozenset = field(default_factory=frozenset)
    key: object = None

    def matches(self, annual_spend, monthly_orders, customer_type=False, industry_id=False):
        if self.customer_types and customer_type not in self.customer_types:
            return False
        if self.industry_ids and industry_id not in self.industry_ids:
            return False
        checks = []
        if self.min_annual_spend:
            checks.append(annual_spend >= self.min_annual_spend)
        if self.min_monthly_orders:
            checks.append(monthly_orders >= self.min_monthly_orders)
        if not checks:
            return True
        return all(checks) if self.match_all else any(checks)


def demote(grade):
    """Return the grade one step below ``grade`` (D stays D)."""
    if grade not in GRADES:
        return grade
    return GRADES[min(GRADES.index(grade) + 1, len(GRADES) - 1)]


def compute_grade(
    rules,
    annual_spend,
    monthly_orders,
    customer_type=False,
    industry_id=False,
    credit_status=False,
):
    """Return ``(grade, rule, demoted)`` for a customer's figures.

    ``rules`` are :class:`GradeRule` in evaluation order: the first one that
    matches gives the grade; when none does the grade is D. A credit status
    of poor or blocked then lowers the grade by one step.
    """
    matched = next(
        (rule for rule in rules if rule.matches(annual_spend, monthly_orders, customer_type, industry_id)),
        None,
    )
    grade = matched.grade if matched else GRADES[-1]
    demoted = credit_status in CREDIT_DEMOTING and grade != GRADES[-1]
    if demoted:
        grade = demote(grade)
    return grade, matched, demoted


# the sizes of government customers: their administrative level, set by hand
GOVERNMENT_SIZES = ("national", "provincial", "city")


def compute_size(
    customer_type,
    annual_spend,
    monthly_orders,
    large_spend,
    medium_spend,
    frequent_orders,
    current_size=False,
    government_level=False,
):
    """Return the size key of a customer.

    Enterprises are sized by annual spend, individuals by their average
    number of orders a month; a government customer's size is its
    ``government_level``, set by hand (without one, a government size it
    already has is kept).
    """
    if customer_type == "enterprise":
        if annual_spend >= large_spend:
            return "large"
        if annual_spend >= medium_spend:
            return "medium"
        return "small"
    if customer_type == "individual":
        return "frequent" if monthly_orders >= frequent_orders else "occasional"
    if customer_type == "government":
        if government_level:
            return government_level
        return current_size if current_size in GOVERNMENT_SIZES else False
    return False


def monthly_average(order_count):
    """Average number of orders a month over the trailing window."""
    return order_count / WINDOW_MONTHS
