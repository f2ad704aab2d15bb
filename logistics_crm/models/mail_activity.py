from collections import defaultdict

from odoo import api, fields, models

from .res_partner_visit import VISIT_TYPE


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        visit_type = self.env.ref(VISIT_TYPE, raise_if_not_found=False)
        visited = [
            activity.res_id
            for activity in self
            if visit_type and activity.res_model == "res.partner" and activity.activity_type_id == visit_type
        ]
        if visited:
            # sudo: the visit date is a system field, recorded when whoever
            # may mark the visit done does
            self.env["res.partner"].sudo().browse(visited)._logistics_system_writer().write(
                {"logistics_last_visit_date": fields.Date.context_today(self)}
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    @api.model
    def _logistics_schedule(self, activity_type, plans):
        """Activities of ``activity_type`` planned by the system, in one
        create: ``plans`` lists ``(record, values)``, the values holding the
        activity's ``user_id``, ``date_deadline``, ``summary`` and ``note``.
        The model of the records is resolved once and their names read in
        one query per model (each activity's ``res_name`` would read its
        record alone); no assignment mail per activity (the users see them in
        their activities). Return the activities."""
        if not plans:
            return self.browse()
        ids_of = defaultdict(list)
        for record, _values in plans:
            ids_of[record._name].append(record.id)
        model_ids = {}
        for model, ids in ids_of.items():
            model_ids[model] = self.env["ir.model"]._get_id(model)
            self.env[model].sudo().browse(ids).mapped("display_name")
        # sudo: the system plans the activities of each user, whatever the
        # current user (a cron, a customer confirming) may see
        return (
            self.sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_ids[record._name],
                        "res_id": record.id,
                        "activity_type_id": activity_type.id if activity_type else False,
                        **values,
                    }
                    for record, values in plans
                ]
            )
        )
