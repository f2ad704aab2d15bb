"""Pure arithmetic of satisfaction surveys: plain values in, plain values out.

NPS and CSAT, the category of a recommendation score, whether an answer is
low enough to call for a follow-up, and whether a delivery falls in the
sample: one place to read and change each rule, tested without a database.
"""

import hashlib

PROMOTER = "promoter"
PASSIVE = "passive"
DETRACTOR = "detractor"

# Recommendation scores (0-10): promoters from 9, passives from 7.
PROMOTER_MIN = 9
PASSIVE_MIN = 7
NPS_MAX = 10
# Satisfaction scores (1-5): satisfied from 4.
SATISFIED_MIN = 4
SCORE_MIN = 1
SCORE_MAX = 5
# A dimension scored at this or below is a low answer.
LOW_SCORE_MAX = 2


def nps_category(score):
    """The category of a recommendation score 0-10, or False without one."""
    if score is None or score is False:
        return False
    if not 0 <= score <= NPS_MAX:
        raise ValueError(f"a recommendation score is between 0 and {NPS_MAX}, not {score!r}")
    if score >= PROMOTER_MIN:
        return PROMOTER
    if score >= PASSIVE_MIN:
        return PASSIVE
    return DETRACTOR


def nps(scores):
    """The Net Promoter Score of recommendation scores 0-10: the % of
    promoters minus the % of detractors, rounded to an integer between -100
    and 100; None without any score."""
    scores = [score for score in scores if score is not None and score is not False]
    if not scores:
        return None
    categories = [nps_category(score) for score in scores]
    promoters = categories.count(PROMOTER)
    detractors = categories.count(DETRACTOR)
    return round(100.0 * (promoters - detractors) / len(scores))


def csat(scores):
    """The CSAT of overall satisfaction scores 1-5: the % of answers at 4 or
    5, rounded to one decimal; None without any score."""
    scores = [score for score in scores if score]
    if not scores:
        return None
    for score in scores:
        if not SCORE_MIN <= score <= SCORE_MAX:
            raise ValueError(f"a satisfaction score is between {SCORE_MIN} and {SCORE_MAX}, not {score!r}")
    satisfied = sum(1 for score in scores if score >= SATISFIED_MIN)
    return round(100.0 * satisfied / len(scores), 1)


def response_rate(answered, sent):
    """The % of invitations answered, rounded to one decimal; None when none
    was sent."""
    if not sent:
        return None
    return round(100.0 * min(answered, sent) / sent, 1)


def is_low_answer(nps_score, dimension_scores):
    """Whether an answer calls for a follow-up: a detractor's recommendation
    score (0-6), or any satisfaction score (1-5) at 1 or 2. Scores not given
    (None, False, 0) count for nothing."""
    if nps_category(nps_score) == DETRACTOR:
        return True
    return any(score and score <= LOW_SCORE_MAX for score in dimension_scores)


def in_sample(key, rate):
    """Whether the delivery ``key`` (its id) is in a sample of ``rate`` %:
    decided by a hash of the key, so the same delivery always gets the same
    answer (a retry cannot flip it), spread evenly over keys."""
    if rate >= 100:
        return True
    if rate <= 0:
        return False
    digest = hashlib.sha256(str(key).encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10000 < rate * 100
