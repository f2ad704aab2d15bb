from . import logistics_grade_rule
from . import logistics_service_level
from . import logistics_grade_history
from . import res_company
from . import res_company_number_guard
from . import res_config_settings
from . import res_partner
from . import sale_order
