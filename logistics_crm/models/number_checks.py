"""Refuse the numbers users set that are not finite or out of bounds.

The models with numbers users set (res.company, logistics.service.level,
logistics.grade.rule, res.config.settings) use these helpers both in their
constraints, on what is stored, and before create and write: NaN and the
infinities make the ORM fail with a raw ValueError when it rounds a Monetary,
a Float with digits or an Integer, before any constraint runs. The rule
itself is :func:`..tools.numbers.number_error`.
"""

from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from ..tools.numbers import NEGATIVE, NOT_FINITE, TOO_LARGE, number_error


def check_numbers(model, values, maxima):
    """Raise a ValidationError naming the field for the first value of
    ``values`` (``{field name: value}``) that is not a number between 0 and
    its maximum in ``maxima`` (``{field name: maximum}``). The fields of
    ``maxima`` missing from ``values`` are not checked."""
    env = model.env
    for fname, maximum in maxima.items():
        if fname not in values:
            continue
        error = number_error(values[fname], maximum)
        if not error:
            continue
        field = model._fields[fname]._description_string(env)
        maximum = formatLang(env, maximum, digits=0)
        if error == NOT_FINITE:
            message = env._(
                "%(field)s must be a finite number between 0 and %(maximum)s (not NaN or infinity).",
                field=field,
                maximum=maximum,
            )
        elif error == NEGATIVE:
            message = env._(
                "%(field)s cannot be negative: enter a number between 0 and %(maximum)s.",
                field=field,
                maximum=maximum,
            )
        elif error == TOO_LARGE:
            message = env._("%(field)s cannot be more than %(maximum)s.", field=field, maximum=maximum)
        else:  # NOT_A_NUMBER: text that is not a number
            message = env._("%(field)s must be a number between 0 and %(maximum)s.", field=field, maximum=maximum)
        raise ValidationError(message)


def check_record_numbers(records, maxima):
    """:func:`check_numbers` on the values stored on ``records``."""
    for record in records:
        check_numbers(record, {fname: record[fname] for fname in maxima}, maxima)


def check_create_numbers(model, vals_list, maxima):
    """:func:`check_numbers` on what ``model.create(vals_list)`` would store:
    the values given, else the context's ``default_*`` keys (which a client
    sends). Not through ``default_get()``: it converts the values, and fails
    with the same raw error."""
    context = model.env.context
    defaults = {fname: context[f"default_{fname}"] for fname in maxima if f"default_{fname}" in context}
    for vals in vals_list:
        check_numbers(model, {**defaults, **vals}, maxima)
