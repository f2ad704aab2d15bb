from odoo import fields, models

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
