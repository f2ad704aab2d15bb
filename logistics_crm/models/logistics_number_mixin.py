from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from ..tools.numbers import NEGATIVE, NOT_FINITE, TOO_LARGE, number_error


class LogisticsNumberMixin(models.AbstractModel):
    """Numbers that users set, refused when they are not finite or out of
    bounds, with a clear message, on every path.

    A model lists in ``_logistics_number_maxima`` its numeric fields users set,
    with their maximum (the minimum is 0). The values are checked before
    ``create`` and ``write``: NaN and the infinities make the ORM fail with a
    raw ValueError when it rounds a Monetary, a Float with digits or an
    Integer, before any constraint runs (the context's ``default_*`` keys,
    which a client sends, included). The model's constraint calls
    :meth:`_logistics_check_stored_numbers` for what is stored (a default
    saved in ``ir.default``, for instance). The rule itself is
    :func:`..tools.numbers.number_error`.
    """

    _name = "logistics.number.mixin"
    _description = "Logistics Numbers Checked for Bounds"

    # {field name: maximum}, the minimum being 0
    _logistics_number_maxima = {}

    @api.model_create_multi
    def create(self, vals_list):
        context = self.env.context
        maxima = self._logistics_number_maxima
        # not through default_get(): it converts the values, and fails with the same raw error
        defaults = {fname: context[f"default_{fname}"] for fname in maxima if f"default_{fname}" in context}
        for vals in vals_list:
            self._logistics_check_numbers({**defaults, **vals})
        return super().create(vals_list)

    def write(self, vals):
        self._logistics_check_numbers(vals)
        return super().write(vals)

    def _logistics_check_stored_numbers(self):
        for record in self:
            record._logistics_check_numbers({fname: record[fname] for fname in self._logistics_number_maxima})

    @api.model
    def _logistics_check_numbers(self, values):
        """Raise a ValidationError naming the field for the first value of
        ``values`` ({field name: value}) that is not a number between 0 and
        its maximum."""
        for fname, maximum in self._logistics_number_maxima.items():
            if fname not in values:
                continue
            error = number_error(values[fname], maximum)
            if not error:
                continue
            field = self._fields[fname]._description_string(self.env)
            maximum = formatLang(self.env, maximum, digits=0)
            if error == NOT_FINITE:
                message = self.env._(
                    "%(field)s must be a finite number between 0 and %(maximum)s (not NaN or infinity).",
                    field=field,
                    maximum=maximum,
                )
            elif error == NEGATIVE:
                message = self.env._(
                    "%(field)s cannot be negative: enter a number between 0 and %(maximum)s.",
                    field=field,
                    maximum=maximum,
                )
            elif error == TOO_LARGE:
                message = self.env._("%(field)s cannot be more than %(maximum)s.", field=field, maximum=maximum)
            else:  # NOT_A_NUMBER: text that is not a number
                message = self.env._(
                    "%(field)s must be a number between 0 and %(maximum)s.", field=field, maximum=maximum
                )
            raise ValidationError(message)
