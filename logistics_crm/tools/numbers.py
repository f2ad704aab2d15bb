"""Pure check of the numbers users set: plain values in, an error kind out.

Every number a user can set in the module (size thresholds, grading
thresholds, service-level targets) must be a finite number between 0 and a
sensible maximum. NaN and the infinities get through the ORM (JSON-RPC
clients can send them as the JSON tokens ``NaN`` and ``Infinity``) and, once
stored, make every answer that carries them invalid JSON.
"""

import math

# Upper bounds, stated in the error messages.
SPEND_MAX = 1e12  # annual spend, in the company's currency
PERCENT_MAX = 100  # a share of an amount, in percent
MONTHLY_ORDERS_MAX = 100_000  # average orders a month
HOURS_MAX = 8_760  # response and resolution targets: one year
VISIT_INTERVAL_DAYS_MAX = 3_650  # days between two visits: ten years
LOYALTY_MONTHS_MAX = 1_200  # months before points expire: a hundred years
WINBACK_POINTS_MAX = 1_000_000  # loyalty points given to win a customer back

# Error kinds
NOT_A_NUMBER = "not_a_number"
NOT_FINITE = "not_finite"
NEGATIVE = "negative"
TOO_LARGE = "too_large"


def number_error(value, maximum):
    """Return why ``value`` is not a number between 0 and ``maximum``
    (:data:`NOT_A_NUMBER`, :data:`NOT_FINITE`, :data:`NEGATIVE` or
    :data:`TOO_LARGE`), or ``None`` when it is one.

    ``value`` is taken as the ORM takes it for a numeric field: an empty value
    (``False``, ``None``, ``""``) is 0, text is converted with ``float()``
    (so ``"nan"`` is NaN).
    """
    if not value:
        return None
    if isinstance(value, int):
        # ints are finite, and may be too large to convert to a float
        number = value
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return NOT_A_NUMBER
        # before any comparison: NaN compares False with everything
        if not math.isfinite(number):
            return NOT_FINITE
    if number < 0:
        return NEGATIVE
    if number > maximum:
        return TOO_LARGE
    return None
