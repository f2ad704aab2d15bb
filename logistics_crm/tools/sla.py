"""Pure SLA arithmetic of complaints: plain values in, plain values out.

The status of a deadline, the target hours of a severity and the shift of
deadlines by the time a complaint waited for its customer live here, so that
the rules have one place to read and change, and their edge cases are tested
without a database. Datetimes are naive UTC, as the ORM stores them.
"""

from datetime import timedelta

ON_TRACK = "on_track"
AT_RISK = "at_risk"
BREACHED = "breached"
MET = "met"

# Less than this share of the window left: at risk.
AT_RISK_RATIO = 0.2

# Severities whose targets are divided, and by how much.
SEVERITY_DIVISORS = {"critical": 2.0}


def deadline_status(now, start, deadline, done_at=None, at_risk_ratio=AT_RISK_RATIO):
    """The status of one deadline: ``met`` when done by it, ``breached`` when
    done after it or still not done once it passed (a breach stays a breach
    when the work is done late), ``at_risk`` when less than ``at_risk_ratio``
    of the window from ``start`` to ``deadline`` is left, else ``on_track``.
    Without a deadline, nothing is promised: ``on_track`` until done, then
    ``met``."""
    if not deadline:
        return MET if done_at else ON_TRACK
    if done_at:
        return MET if done_at <= deadline else BREACHED
    if now > deadline:
        return BREACHED
    window = (deadline - start).total_seconds() if start else 0.0
    left = (deadline - now).total_seconds()
    if window <= 0 or left < window * at_risk_ratio:
        return AT_RISK
    return ON_TRACK


def risk_instant(start, deadline, at_risk_ratio=AT_RISK_RATIO):
    """The instant after which ``deadline`` is at risk (less than
    ``at_risk_ratio`` of the window from ``start`` left); None without
    deadline."""
    if not deadline:
        return None
    if not start or start >= deadline:
        return deadline
    return deadline - (deadline - start) * at_risk_ratio


def combined_status(*statuses):
    """The status of a complaint from the statuses of its deadlines: breached
    when one is, met when all are, at risk when one is, else on track."""
    if BREACHED in statuses:
        return BREACHED
    if all(status == MET for status in statuses):
        return MET
    if AT_RISK in statuses:
        return AT_RISK
    return ON_TRACK


def target_hours(hours, severity):
    """The target of a service level for a complaint of ``severity``
    (halved for critical ones)."""
    return (hours or 0.0) / SEVERITY_DIVISORS.get(severity, 1.0)


def plain_deadline(start, hours):
    """The deadline ``hours`` after ``start``, round the clock (no
    deadline for a target of 0 hours: none is promised)."""
    if not hours or not start:
        return None
    return start + timedelta(hours=hours)


def paused_hours(paused_at, resumed_at):
    """The hours between a pause and its resumption, round the clock (0 for
    a resumption that does not follow its pause)."""
    if not paused_at or not resumed_at or resumed_at <= paused_at:
        return 0.0
    return (resumed_at - paused_at).total_seconds() / 3600.0


def shift_deadline(deadline, hours, plan_hours=None):
    """``deadline`` moved by ``hours`` of pause; ``plan_hours(hours, start)``
    counts them in working time when given (a calendar's), else round the
    clock. A missing deadline stays missing; a deadline already met is not
    for the caller to shift."""
    if not deadline or not hours or hours <= 0:
        return deadline
    if plan_hours:
        return plan_hours(hours, deadline)
    return deadline + timedelta(hours=hours)
