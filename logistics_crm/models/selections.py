"""Selection values shared by the models of the module."""

from ..tools.grading import GOVERNMENT_SIZES

GRADE_SELECTION = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
CUSTOMER_TYPE_SELECTION = [
    ("individual", "Individual"),
    ("enterprise", "Enterprise"),
    ("government", "Government / Public Institution"),
]
REGION_TIER_SELECTION = [
    ("tier_1", "Tier-1 City"),
    ("tier_2", "Tier-2 City"),
    ("tier_3", "Tier-3 City"),
    ("rural", "Rural"),
]
CREDIT_STATUS_SELECTION = [
    ("good", "Good"),
    ("watch", "Watch"),
    ("poor", "Poor"),
    ("blocked", "Blocked"),
]
SIZE_SELECTION = [
    ("large", "Large"),
    ("medium", "Medium"),
    ("small", "Small"),
    ("frequent", "Frequent"),
    ("occasional", "Occasional"),
    ("national", "National Level"),
    ("provincial", "Provincial Level"),
    ("city", "City Level"),
]
# the sizes a government customer is given by hand: its administrative level
GOVERNMENT_LEVEL_SELECTION = [item for item in SIZE_SELECTION if item[0] in GOVERNMENT_SIZES]
