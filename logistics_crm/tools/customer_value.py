"""Pure customer value arithmetic: plain values in, plain values out.

RFM scores and segments, the churn risk of a customer from its order dates
and spend, and the health score that weighs grade, OTIF, satisfaction,
complaints and spend trend: one place to read and change each rule, tested
without a database.
"""

import statistics
from bisect import bisect_left, bisect_right
from datetime import datetime
from itertools import pairwise

# RFM segments in display order; the model wraps the labels for translation.
SEGMENTS = (
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("promising", "Promising"),
    ("new", "New"),
    ("at_risk", "At Risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
)

# A customer whose first order is at most this many days old is new.
NEW_CUSTOMER_DAYS = 90
# The fewest orders a regular order interval is measured on.
MIN_CHURN_ORDERS = 3
# Days of the spend windows compared for churn: the last CHURN_SPEND_DAYS
# against the same days a year earlier.
CHURN_SPEND_DAYS = 90

GRADE_POINTS = {"A": 100, "B": 75, "C": 50, "D": 25}
HEALTH_COMPONENTS = ("grade", "otif", "satisfaction", "complaints", "trend")


def quintile_scores(values, higher_is_better=True):
    """Return one score 1-5 per value, in the order of ``values``.

    A value's score is ``min(5, 1 + 5 * worse // n)``, where ``n`` is the
    number of values and ``worse`` the number of values strictly worse than
    it (strictly lower when ``higher_is_better``, strictly higher otherwise,
    e.g. days since the last order). Equal values share a score; five
    distinct values score 1 to 5, ten distinct ones 1, 1, 2, 2, ... 5, 5.
    """
    values = list(values)
    n = len(values)
    ordered = sorted(values)
    scores = []
    for value in values:
        if higher_is_better:
            worse = bisect_left(ordered, value)
        else:
            worse = n - bisect_right(ordered, value)
        scores.append(min(5, 1 + (5 * worse) // n))
    return scores


def rfm_segment(recency, frequency, monetary, customer_age_days):
    """Return the segment key of RFM scores 1-5.

    ``customer_age_days`` counts the days since the customer's first order:
    up to :data:`NEW_CUSTOMER_DAYS` the customer is new whatever its scores.
    Otherwise, with ``fm`` the mean of the frequency and monetary scores:
    champions (recency >= 4, fm >= 4), loyal (recency >= 3, fm >= 3),
    promising (any other recency >= 3), at risk (recency <= 2, fm >= 3),
    hibernating (recency 2) and lost (the rest), the first that applies.
    """
    if customer_age_days <= NEW_CUSTOMER_DAYS:
        return "new"
    fm = (frequency + monetary) / 2
    if recency >= 4 and fm >= 4:
        return "champions"
    if recency >= 3 and fm >= 3:
        return "loyal"
    if recency >= 3:
        return "promising"
    if recency <= 2 and fm >= 3:
        return "at_risk"
    if recency == 2:
        return "hibernating"
    return "lost"


def _as_date(value):
    """The calendar date of a date or datetime."""
    return value.date() if isinstance(value, datetime) else value


def median_order_interval(order_dates):
    """Return the median number of days between orders, or None.

    ``order_dates`` are the dates (or datetimes) of the customer's orders.
    Fewer than :data:`MIN_CHURN_ORDERS` orders (counted as given, not as
    distinct dates) give None, as do orders all on one calendar day. The
    intervals are taken between consecutive distinct calendar dates; a
    median below one day counts as one day.
    """
    order_dates = list(order_dates)
    if len(order_dates) < MIN_CHURN_ORDERS:
        return None
    days = sorted({_as_date(order_date) for order_date in order_dates})
    intervals = [(later - earlier).days for earlier, later in pairwise(days)]
    if not intervals:
        return None
    return max(1.0, float(statistics.median(intervals)))


def churn_risk(order_dates, today, recent_spend, year_ago_spend):
    """Return ``(at_risk, reason)`` for a customer; reason is None, "interval" or "spend".

    "interval": the customer has a regular order interval (see
    :func:`median_order_interval`) and its last order is more than twice
    that interval before ``today`` (exactly twice is not at risk).
    "spend": otherwise, ``recent_spend`` (spend in the last
    :data:`CHURN_SPEND_DAYS` days) is below half of ``year_ago_spend`` (spend
    in the same days a year earlier), which must be positive.
    """
    order_dates = list(order_dates)
    median = median_order_interval(order_dates)
    if median is not None:
        last_order = max(_as_date(order_date) for order_date in order_dates)
        if (_as_date(today) - last_order).days > 2 * median:
            return True, "interval"
    year_ago_spend = year_ago_spend or 0
    if year_ago_spend > 0 and (recent_spend or 0) < year_ago_spend / 2:
        return True, "spend"
    return False, None


def grade_component(grade):
    """Points 0-100 of a grade A-D, None without a known grade."""
    if not grade:
        return None
    return GRADE_POINTS.get(grade)


def satisfaction_component(csat, nps):
    """Points 0-100 of satisfaction: the mean of CSAT (a percentage) and NPS.

    NPS (-100 to 100) is mapped to ``(nps + 100) / 2``; a missing figure is
    left out of the mean, and None is returned when both are missing.
    """
    points = []
    if csat is not None:
        points.append(csat)
    if nps is not None:
        points.append((nps + 100) / 2)
    if not points:
        return None
    return sum(points) / len(points)


def complaint_component(complaint_rate):
    """Points 0-100 of a complaint rate (complaints per 100 deliveries).

    Each complaint per 100 deliveries costs 10 points, down to 0; None
    without a rate.
    """
    if complaint_rate is None:
        return None
    return max(0.0, 100 - 10 * complaint_rate)


def trend_component(recent_spend, previous_spend):
    """Points 0-100 of the spend trend: recent spend as a % of previous spend.

    Capped at 100; a customer with recent spend and no previous spend scores
    100; None when neither period has spend.
    """
    recent_spend = recent_spend or 0
    previous_spend = previous_spend or 0
    if not recent_spend and not previous_spend:
        return None
    if not previous_spend:
        return 100.0 if recent_spend > 0 else None
    return min(100.0, 100 * recent_spend / previous_spend)


def health_score(components, weights):
    """Return the health score 0-100 of a customer, or None.

    ``components`` maps names (see :data:`HEALTH_COMPONENTS`) to points
    0-100 or None (OTIF is used as is, a percentage); ``weights`` maps the
    same names to weights >= 0 (a missing weight counts as 0). The score is
    the weighted mean of the components that are set and weigh more than 0,
    clamped to 0-100 and rounded half up; None when no component counts.
    A negative weight raises ValueError.
    """
    for name, weight in weights.items():
        if weight is not None and weight < 0:
            raise ValueError(f"the weight of {name!r} is negative: {weight!r}")
    total = 0.0
    total_weight = 0.0
    for name, points in components.items():
        weight = weights.get(name) or 0
        if points is None or weight <= 0:
            continue
        total += points * weight
        total_weight += weight
    if not total_weight:
        return None
    mean = min(100.0, max(0.0, total / total_weight))
    return int(mean + 0.5)
