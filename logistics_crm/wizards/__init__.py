from . import base_partner_merge_automatic_wizard
from . import logistics_loyalty_adjust
