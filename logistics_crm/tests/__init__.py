from . import test_grading_tools
from . import test_partner_grading
from . import test_access
from . import test_access_matrix
from . import test_translations
from . import test_sale_hooks
from . import test_cron
from . import test_performance
