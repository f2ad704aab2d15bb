from . import logistics_complaint_report
from . import logistics_delivery_report
from . import sale_report
