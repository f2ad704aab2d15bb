from . import base_partner_merge_automatic_wizard
from . import logistics_loyalty_adjust
from . import logistics_cx_report_wizard
