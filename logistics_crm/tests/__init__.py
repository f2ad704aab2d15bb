from . import test_grading_tools
