from . import grading
from . import numbers
