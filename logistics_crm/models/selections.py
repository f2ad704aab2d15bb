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

COMPLAINT_STATE_SELECTION = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("in_progress", "In Progress"),
    ("waiting_customer", "Waiting for Customer"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
COMPLAINT_CHANNEL_SELECTION = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Portal"),
    ("chat", "Chat"),
    ("visit", "Visit"),
    ("survey", "Satisfaction Survey"),
    ("other", "Other"),
]
COMPLAINT_SEVERITY_SELECTION = [
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
    ("critical", "Critical"),
]
COMPLAINT_LIABLE_SELECTION = [
    ("company", "Our Company"),
    ("carrier", "Carrier or Subcontractor"),
    ("customer", "Customer"),
    ("force_majeure", "Force Majeure"),
]
SLA_STATUS_SELECTION = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
COMPENSATION_KIND_SELECTION = [
    ("refund", "Refund"),
    ("credit_note", "Credit Note"),
    ("free_service", "Free Service"),
    ("loyalty_points", "Loyalty Points"),
    ("other", "Other"),
]
COMPENSATION_STATE_SELECTION = [
    ("none", "None"),
    ("granted", "Granted"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]

# satisfaction surveys
SURVEY_DIMENSION_SELECTION = [
    ("overall", "Overall Satisfaction"),
    ("timeliness", "Timeliness"),
    ("condition", "Cargo Condition"),
    ("accuracy", "Delivery Accuracy"),
    ("attitude", "Staff Attitude"),
    ("price", "Price"),
    ("communication", "Communication"),
    ("recommend", "Likelihood to Recommend"),
    ("comment", "Comment"),
]
SURVEY_STATE_SELECTION = [
    ("scheduled", "Scheduled"),
    ("sent", "Sent"),
    ("answered", "Answered"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]
NPS_CATEGORY_SELECTION = [
    ("promoter", "Promoter"),
    ("passive", "Passive"),
    ("detractor", "Detractor"),
]
LOYALTY_KIND_SELECTION = [
    ("earn", "Earned"),
    ("redeem", "Redeemed"),
    ("expire", "Expired"),
    ("reverse", "Reversed"),
    ("adjust", "Adjustment"),
    ("compensation", "Compensation"),
]
# what is done when a customer becomes at risk of churning
WINBACK_ACTION_SELECTION = [
    ("call", "Call by the Salesperson"),
    ("survey", "Satisfaction Survey"),
    ("points", "Loyalty Points Gift"),
]
