from odoo import api, models
from odoo.exceptions import AccessError

# The value of the context key ``logistics_system_write`` that marks a write
# of the system itself (see ``_logistics_system_writer``). A client can only
# send JSON values, never this object, and the key is honoured under sudo()
# only: an internal switch that no request can turn on.
SYSTEM_WRITE = object()


class LogisticsGuardedMixin(models.AbstractModel):
    """Fields that users set by role, and fields that only the system sets,
    closed on every path a value can take to the database.

    A model lists in ``_logistics_field_groups`` the fields a role may set by
    hand, with the lowest group allowed, and in ``_logistics_system_fields``
    the fields nobody types in (figures, computed grades, markers). The mixin
    then refuses them, for anyone below the role (the superuser and sudo()
    excepted), in:

    - ``create`` and ``write`` values: forms, ``web_save``, import (``load``),
      mass edit, related fields and ``_inherits`` written from another model;
    - defaults: the request context (``default_<field>``) and ``ir.default``
      (``default_get`` drops them; ``ir.default`` refuses to store them, see
      ``ir_default.py``);
    - duplicates (``copy_data`` drops them, ``copy(default=...)`` is checked);

    and the system writes them through ``_logistics_system_writer()``.
    """

    _name = "logistics.guarded.mixin"
    _description = "Logistics Fields Guarded by Role"

    # {field name: xmlid of the lowest group that may set it by hand}
    _logistics_field_groups = {}
    # fields that only the system writes
    _logistics_system_fields = frozenset()

    @api.model
    def _logistics_guarded_fields(self):
        return self._logistics_field_groups.keys() | self._logistics_system_fields

    @api.model
    def _logistics_writable_fields(self):
        """The guarded fields the current user may set by hand."""
        if self.env.su:
            return set(self._logistics_field_groups)
        user = self.env.user
        return {fname for fname, group in self._logistics_field_groups.items() if user.has_group(group)}

    @api.model
    def _logistics_check_write_access(self, vals):
        """Refuse ``vals`` that set guarded fields beyond the user's role."""
        if self.env.su:
            return
        keys = vals.keys() & self._logistics_guarded_fields()
        if not keys:
            return
        # the labels, translated, of fields the user may not even read
        labels = {fname: self._fields[fname]._description_string(self.env) for fname in keys}
        if system := keys & self._logistics_system_fields:
            raise AccessError(
                self.env._(
                    "%(fields)s: set by the system, not by hand.",
                    fields=", ".join(labels[fname] for fname in sorted(system)),
                )
            )
        if refused := keys - self._logistics_writable_fields():
            groups = {self.env.ref(self._logistics_field_groups[fname]) for fname in refused}
            raise AccessError(
                self.env._(
                    "Only %(groups)s can change %(fields)s.",
                    groups=", ".join(sorted(group.full_name for group in groups)),
                    fields=", ".join(labels[fname] for fname in sorted(refused)),
                )
            )

    def _logistics_system_writer(self):
        """These records, to write guarded fields as the system does."""
        # sudo: the caller computed these values itself (they are never
        # values a user sent); env.user stays the real user, for the logs
        return self.sudo().with_context(logistics_system_write=SYSTEM_WRITE)

    def _logistics_in_system_write(self):
        return self.env.su and self.env.context.get("logistics_system_write") is SYSTEM_WRITE

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if self.env.su:
            return defaults
        # a user gets no default, from the request context or ir.default, for
        # a field they may not set by hand: the system's own value instead
        refused = defaults.keys() & (self._logistics_guarded_fields() - self._logistics_writable_fields())
        for fname in refused:
            field = self._fields[fname]
            fallback = field.get_company_dependent_fallback(self) if field.company_dependent else False
            if fallback:
                defaults[fname] = field.convert_to_write(fallback, self)
            else:
                del defaults[fname]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._logistics_check_write_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._logistics_check_write_access(vals)
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if self.env.su:
            return vals_list
        # a duplicate carries only the guarded values the user may set
        dropped = self._logistics_guarded_fields() - self._logistics_writable_fields() - set(default or ())
        for vals in vals_list:
            for fname in dropped:
                vals.pop(fname, None)
        return vals_list
