from . import grading
from . import numbers
from . import sla
from . import satisfaction
from . import customer_value
from . import sentiment
