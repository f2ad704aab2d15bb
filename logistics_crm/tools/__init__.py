from . import grading
