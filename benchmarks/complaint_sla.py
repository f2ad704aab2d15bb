#!/usr/bin/env python3
"""Benchmark of the scheduled complaint escalation of logistics_crm at scale.

Creates (or, with --keep, reuses) a scratch database with logistics_crm
installed without demo data, adds through the ORM --owners complaint owners
(specialists) and --supervisors supervisors (with the administrator, the
people a breach is escalated to: the company has no escalation user), then
fills it with SQL with --customers customers (graded A/B/C/D or not graded)
and --complaints open complaints (new, acknowledged, in progress, waiting for
the customer; low to critical). Before each run, it puts every benchmark
complaint in the state the escalation would have left it in had it last run
--behind minutes ago (received over the last --days days, deadlines from the
grade's service level and the severity, first responses on time or late, the
escalations of every risk instant and deadline passed by then done, the SLA
status and sla_next_check to match), so that a few thousand are due. Then it
times, with the clock (fields.Datetime.now, which the escalation reads) frozen
at the start of the run:

  1. the plain SQL that selects the complaints due for escalation (running,
     sla_next_check passed, in the escalation's order): the lower bound, best
     of 5 runs;
  2. one run of the scheduled action "escalate complaints at risk or late",
     as the cron framework runs it (ir.cron._run_job): a progress record,
     ir.cron._callback of its server action (model._cron_escalate(), one
     batch), a commit, again while _notify_progress reports complaints
     remaining; time, SQL statements in all and for each batch, what it
     created (activities, chatter messages, followers, mails);
  3. a second run, right after, at the same instant: nothing is due any more,
     so it must write nothing.

Checks (PASS/FAIL): every complaint due was escalated, with the activities,
notes and mails expected; the run takes under 30 s; every full batch after
the first one (which fills the registry's caches) sends the same number of
statements, a write of many rows counted once (the ORM sends one statement
per 100 rows; SKIP without two full batches); the second run writes nothing
(no INSERT/UPDATE/DELETE but the cron's progress record, no activity, message
or mail created, no write_date changed). Exit status: 0 when every check
passes, 1 when one fails, 2 on a usage or setup error. See benchmarks/README.md.
"""

import argparse
import collections
import cProfile
import inspect
import io
import json
import os
import pstats
import re
import sys
import time
from datetime import timedelta
from unittest.mock import patch

from grade_recompute import (
    QueryCounter,
    addons_path,
    die,
    info,
    load,
    open_registry,
    prepare_database,
    psql,
)

FILL_KEY = "logistics_crm_bench.complaint_fill"  # ir.config_parameter: the complaint fill, once committed
FILL_VERSION = 2  # in the fill marker: a fill of another version of this script is never reused
NAME_PREFIX = "BENCH-CMP/"  # logistics.complaint.name of the benchmark complaints
REF_PREFIX = "LCRM-CMP-BENCH-"  # res.partner.ref of their customers
LOGIN_PREFIX = "bench.complaint."  # res.users.login of the owners and supervisors
CRON_XMLID = "logistics_crm.ir_cron_logistics_complaint_escalate"
TARGET_S = 30.0
PLAIN_RUNS = 5
RUNNING_STATES = ["new", "acknowledged", "in_progress"]  # the states in which the SLA clock runs
WRITES = ("INSERT", "UPDATE", "DELETE")
FRAMEWORK_TABLES = {"ir_cron_progress"}  # what the cron framework writes around each batch

# Customers: commercial companies, graded in the main company 5 % A, 15 % B,
# 30 % C, 40 % D, 10 % not graded (the service level of D applies).
FILL_PARTNERS_SQL = """
WITH src AS (
    SELECT nextval('res_partner_id_seq') AS id, g AS idx FROM generate_series(1, %(customers)s) g
)
INSERT INTO res_partner (
    id, commercial_partner_id, name, complete_name, ref, type, active, is_company, lang, autopost_bills,
    customer_rank, supplier_rank, partner_share, email, logistics_customer_type, logistics_grade,
    create_uid, write_uid, create_date, write_date
)
SELECT id, id, 'Complaining Customer ' || lpad(idx::text, 6, '0'), 'Complaining Customer ' || lpad(idx::text, 6, '0'),
       %(ref_prefix)s || lpad(idx::text, 6, '0'), 'contact', TRUE, TRUE, 'en_US', 'ask', 1, 0, TRUE,
       'customer' || idx || '@bench.example.com', 'enterprise',
       CASE WHEN idx %% 20 = 0 THEN jsonb_build_object(%(company)s::text, 'A')
            WHEN idx %% 20 < 4 THEN jsonb_build_object(%(company)s::text, 'B')
            WHEN idx %% 20 < 10 THEN jsonb_build_object(%(company)s::text, 'C')
            WHEN idx %% 20 < 18 THEN jsonb_build_object(%(company)s::text, 'D')
       END,
       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC' - interval '30 days', now() AT TIME ZONE 'UTC' - interval '30 days'
  FROM src
"""

# Complaints: what does not change from one run to the next. Some customers
# complain much more than others (the square of a uniform draw); 5 %% have no
# owner (received by email, nobody took them yet); severities 15 %% low, 60 %%
# normal, 20 %% high, 5 %% critical. The state and the clock are set by RESET_SQL.
FILL_COMPLAINTS_SQL = """
SELECT setseed(0.7);
WITH customers AS (
    SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM res_partner WHERE ref LIKE %(ref_like)s
), src AS (
    SELECT g, floor(%(customers)s * random() ^ 2)::int AS cidx, random() AS r_sev, random() AS r_owner,
           random() AS r_cat, random() AS r_channel
      FROM generate_series(1, %(complaints)s) g
)
INSERT INTO logistics_complaint (
    name, company_id, partner_id, commercial_partner_id, category_id, channel, severity, state, user_id,
    summary, needs_triage, is_repeat, paused_hours, reopen_count, create_uid, write_uid, create_date, write_date
)
SELECT %(name_prefix)s || lpad(g::text, 7, '0'), %(company)s, c.id, c.id,
       (%(categories)s::int[])[1 + floor(r_cat * cardinality(%(categories)s::int[]))::int],
       (ARRAY['phone', 'phone', 'email', 'email', 'email', 'portal', 'chat', 'visit'])[1 + floor(r_channel * 8)::int],
       CASE WHEN r_sev < 0.15 THEN 'low' WHEN r_sev < 0.75 THEN 'normal' WHEN r_sev < 0.95 THEN 'high'
            ELSE 'critical' END,
       'new',
       CASE WHEN r_owner < 0.95
            THEN (%(owners)s::int[])[1 + floor(r_owner / 0.95 * cardinality(%(owners)s::int[]))::int] END,
       'Benchmark complaint ' || g, FALSE, FALSE, 0, 0,
       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM src
  JOIN customers c ON c.idx = src.cidx
"""

# The state and SLA clock of every benchmark complaint, deterministic from its
# id (u(...) are uniform draws in [0, 1) from md5), as the escalation would
# have left them when it last ran at %(last_run)s (see the README):
#   - received over the last %(days)s days;
#   - deadlines: the hours of the customer's grade's service level (D without
#     grade), halved for critical ones, round the clock (no calendar);
#   - the younger a complaint, the likelier it is new: 5 %% + 60 %% x
#     exp(-hours since received / 8); the others 20 %% acknowledged, 60 %% in
#     progress, 20 %% waiting for the customer. Those are answered, at 10 %% to
#     120 %% of the first response window (so about 18 %% late), before now; a
#     waiting one waits since some time between its answer and now;
#   - the pending deadline is the first response's before it, the resolution's
#     after; its risk instant is at 80 %% of its window. The escalation
#     (every 15 min) escalated, up to %(last_run)s (up to the pause for a
#     waiting one), every risk instant and deadline passed: markers set;
#     sla_next_check is what _logistics_next_check gives with these markers;
#   - the SLA status is the one of the last write: at the answer or the last
#     escalation, at the pause for a waiting one.
RESET_SQL = """
DELETE FROM mail_activity WHERE res_model = 'logistics.complaint' AND res_id = ANY(%(ids)s);
DELETE FROM mail_followers WHERE res_model = 'logistics.complaint' AND res_id = ANY(%(ids)s);
-- the chatter notes, and the escalation mails of earlier runs (their messages; the mails go with them)
DELETE FROM mail_message
 WHERE (model = 'logistics.complaint' AND res_id = ANY(%(ids)s))
    OR id IN (SELECT mail_message_id FROM mail_mail WHERE subject LIKE %(mail_like)s);
WITH draws AS MATERIALIZED (
    SELECT c.id, c.severity, c.commercial_partner_id,
           ('x' || substr(md5(c.id || 'received'), 1, 8))::bit(32)::bigint / 4294967296.0 AS u_received,
           ('x' || substr(md5(c.id || 'state'), 1, 8))::bit(32)::bigint / 4294967296.0 AS u_state,
           ('x' || substr(md5(c.id || 'answer'), 1, 8))::bit(32)::bigint / 4294967296.0 AS u_answer,
           ('x' || substr(md5(c.id || 'wait'), 1, 8))::bit(32)::bigint / 4294967296.0 AS u_wait
      FROM logistics_complaint c
     WHERE c.id = ANY(%(ids)s)
), received AS MATERIALIZED (
    SELECT d.*, %(now)s - d.u_received * %(days)s * interval '1 day' AS received,
           d.u_received * %(days)s * 24 AS age_h,
           -- the service level's hours (grade D's without grade), halved when critical
           lv.fr_h / CASE WHEN d.severity = 'critical' THEN 2 ELSE 1 END AS fr_h,
           lv.res_h / CASE WHEN d.severity = 'critical' THEN 2 ELSE 1 END AS res_h
      FROM draws d
      JOIN res_partner p ON p.id = d.commercial_partner_id
      JOIN unnest(%(grades)s::text[], %(fr_hours)s::float[], %(res_hours)s::float[]) AS lv(grade, fr_h, res_h)
        ON lv.grade = COALESCE(p.logistics_grade->>%(company)s, %(fallback)s)
), staged AS MATERIALIZED (
    SELECT r.*,
           CASE WHEN r.u_state < 0.05 + 0.6 * exp(-r.age_h / 8) THEN 'new'
                WHEN r.u_state < 0.05 + 0.6 * exp(-r.age_h / 8) + 0.2 * (0.95 - 0.6 * exp(-r.age_h / 8))
                     THEN 'acknowledged'
                WHEN r.u_state < 0.05 + 0.6 * exp(-r.age_h / 8) + 0.8 * (0.95 - 0.6 * exp(-r.age_h / 8))
                     THEN 'in_progress'
                ELSE 'waiting_customer' END AS state,
           r.received + r.fr_h * interval '1 hour' AS frd,
           r.received + r.res_h * interval '1 hour' AS rd
      FROM received r
), answered AS MATERIALIZED (
    SELECT s.*,
           CASE WHEN s.state <> 'new'
                THEN s.received + LEAST(s.fr_h * (0.1 + 1.1 * s.u_answer), s.age_h * 0.9) * interval '1 hour'
           END AS fr_date
      FROM staged s
), clocked AS MATERIALIZED (
    SELECT a.*,
           CASE WHEN a.state = 'waiting_customer' THEN a.fr_date + (%(now)s - a.fr_date) * a.u_wait END AS waiting,
           CASE WHEN a.fr_date IS NULL THEN a.frd ELSE a.rd END AS pending
      FROM answered a
), escalated AS MATERIALIZED (
    SELECT c.*,
           c.pending - (c.pending - c.received) * 0.2 AS risk,
           -- the last escalation run this complaint saw, and the instant of its last write
           LEAST(%(last_run)s, COALESCE(c.waiting, %(last_run)s)) AS seen,
           COALESCE(c.waiting, GREATEST(%(last_run)s, COALESCE(c.fr_date, c.received))) AS written
      FROM clocked c
), marked AS MATERIALIZED (
    SELECT e.*,
           CASE WHEN e.risk < e.seen THEN e.pending END AS risk_done,
           CASE WHEN e.pending < e.seen THEN e.pending END AS breach_done,
           CASE WHEN e.fr_date IS NOT NULL THEN CASE WHEN e.fr_date <= e.frd THEN 2 ELSE 0 END
                WHEN e.written > e.frd THEN 0
                WHEN e.frd - e.written < (e.frd - e.received) * 0.2 THEN 1
                ELSE 3 END AS fr_status,
           CASE WHEN e.written > e.rd THEN 0
                WHEN e.rd - e.written < (e.rd - e.received) * 0.2 THEN 1
                ELSE 3 END AS res_status
      FROM escalated e
)
UPDATE logistics_complaint c
   SET state = m.state,
       date_received = m.received,
       first_response_deadline = m.frd,
       resolution_deadline = m.rd,
       first_response_date = m.fr_date,
       resolution_date = NULL,
       waiting_since = m.waiting,
       paused_hours = 0,
       reopen_count = 0,
       risk_escalated_deadline = m.risk_done,
       breach_escalated_deadline = m.breach_done,
       sla_next_check = CASE WHEN m.state = 'waiting_customer' THEN NULL
                             WHEN m.breach_done IS NOT NULL THEN NULL
                             WHEN m.risk_done IS NOT NULL THEN m.pending
                             ELSE m.risk END,
       -- 0 breached, 1 at risk, 2 met, 3 on track: breached when one is, at risk when one is
       sla_status = CASE LEAST(m.fr_status, m.res_status) WHEN 0 THEN 'breached' WHEN 1 THEN 'at_risk'
                                                          ELSE 'on_track' END,
       first_response_hours = CASE WHEN m.fr_date IS NOT NULL
                                   THEN extract(epoch FROM m.fr_date - m.received) / 3600 END,
       resolution_hours = NULL,
       create_date = m.received,
       write_date = %(now)s - interval '1 day'
  FROM marked m
 WHERE c.id = m.id;
"""

# The complaints due, as _cron_escalate selects them (state in RUNNING_STATES,
# sla_next_check < now, ordered by sla_next_check, id), all at once.
PLAIN_SQL = """
SELECT id FROM logistics_complaint
 WHERE state = ANY(%s) AND sla_next_check < %s
 ORDER BY sla_next_check, id
"""

# The complaints due in the escalation's order, each with whether its
# pending deadline itself passed (a breach, else at risk) and whether it has
# an owner (who gets the activity of a risk).
DUE_SQL = """
SELECT id,
       CASE WHEN first_response_date IS NULL AND first_response_deadline IS NOT NULL
            THEN first_response_deadline ELSE resolution_deadline END < %(now)s,
       user_id IS NOT NULL
  FROM logistics_complaint
 WHERE state = ANY(%(states)s) AND sla_next_check < %(now)s
 ORDER BY sla_next_check, id
"""


# --------------------------------------------------------------------------- setup


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="lcrm_bench_cmp", help="scratch database (default: %(default)s)")
    parser.add_argument("--complaints", type=int, default=100000, help="open complaints (default: %(default)s)")
    parser.add_argument("--customers", type=int, default=2000, help="customers (default: %(default)s)")
    parser.add_argument("--owners", type=int, default=20, help="complaint owners (default: %(default)s)")
    parser.add_argument(
        "--supervisors",
        type=int,
        default=2,
        help="supervisors besides the administrator, who get the breaches (default: %(default)s)",
    )
    parser.add_argument(
        "--days", type=int, default=7, help="complaints received over the last N days (default: %(default)s)"
    )
    parser.add_argument(
        "--behind",
        type=int,
        default=150,
        help="minutes since the escalation last ran (default: %(default)s; the cron runs every 15)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the database when it holds a fill of this size (else it is created again)",
    )
    parser.add_argument("--queries", action="store_true", help="print the costliest SQL statements of the run")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="profile the run with cProfile: print the top functions, save DIR/escalation.prof "
        "(the timings are then inflated by the profiler)",
    )
    args = parser.parse_args()
    if min(args.complaints, args.customers, args.owners, args.days, args.behind) < 1 or args.supervisors < 0:
        die("--complaints, --customers, --owners, --days and --behind must be positive, --supervisors not negative")
    return args


def fill_marker(args):
    return {
        "version": FILL_VERSION,
        "complaints": args.complaints,
        "customers": args.customers,
        "owners": args.owners,
        "supervisors": args.supervisors,
    }


def bench_user(env, login, name, group_xmlid):
    """The user ``login`` (created when missing) in the group ``group_xmlid``."""
    user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
    if not user:
        user = (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@bench.example.com",
                    "groups_id": [(4, env.ref(group_xmlid).id)],
                }
            )
        )
    return user


def fill(env, args):
    """The owners, supervisors and company settings through the ORM, then the
    customers and complaints with two INSERT ... SELECT."""
    cr = env.cr
    t0 = time.perf_counter()
    company = env.ref("base.main_company")
    # round the clock (the fill computes the deadlines so), breaches go to
    # the company's supervisors, mails leave from the company's address
    company.write(
        {
            "logistics_complaint_calendar_id": False,
            "logistics_complaint_escalation_user_id": False,
            "email": company.email or "service@bench.example.com",
        }
    )
    owners = [
        bench_user(
            env,
            f"{LOGIN_PREFIX}owner{n:02d}",
            f"Complaint Owner {n:02d}",
            "logistics_crm.group_logistics_crm_specialist",
        )
        for n in range(1, args.owners + 1)
    ]
    for n in range(1, args.supervisors + 1):
        bench_user(
            env, f"{LOGIN_PREFIX}supervisor{n}", f"Supervisor {n}", "logistics_crm.group_logistics_crm_supervisor"
        )
    env.flush_all()
    info(f"created {args.owners} owners and {args.supervisors} supervisors in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    params = {
        "ref_prefix": REF_PREFIX,
        "ref_like": REF_PREFIX + "%",
        "name_prefix": NAME_PREFIX,
        "customers": args.customers,
        "complaints": args.complaints,
        "company": company.id,
        "uid": env.ref("base.user_admin").id,
        "owners": [user.id for user in owners],
        "categories": env["logistics.complaint.category"].search([]).ids,
    }
    cr.execute(FILL_PARTNERS_SQL, params)
    cr.execute(FILL_COMPLAINTS_SQL, params)
    env["ir.config_parameter"].set_param(FILL_KEY, json.dumps(fill_marker(args)))
    env.flush_all()
    cr.commit()
    env.invalidate_all()  # the ORM knows nothing of what was inserted behind its back
    info(f"filled {args.customers} customers and {args.complaints} complaints in {time.perf_counter() - t0:.1f} s")


def reset(env, args, ids):
    """Put the benchmark complaints in the state of RESET_SQL, as of now."""
    from odoo import fields

    from odoo.addons.logistics_crm.models.logistics_complaint import FALLBACK_GRADE

    company = env.ref("base.main_company")
    levels = env["logistics.service.level"]._get_levels_by_grade(company)
    now = fields.Datetime.now()
    env.flush_all()
    env.cr.execute(
        RESET_SQL,
        {
            "ids": ids,
            "now": now,
            "last_run": now - timedelta(minutes=args.behind),
            "days": args.days,
            "company": str(company.id),
            "fallback": FALLBACK_GRADE,
            "grades": list(levels),
            "fr_hours": [level.first_response_hours for level in levels.values()],
            "res_hours": [level.resolution_hours for level in levels.values()],
            "mail_like": "%complaint(s) missed their deadline",
        },
    )
    env.cr.commit()
    env.invalidate_all()


# --------------------------------------------------------------------------- measurement


class StatementLog(QueryCounter):
    """QueryCounter that also keeps the sequence of the statements: (kind,
    table) for a write, None for a read."""

    def __init__(self, cr):
        super().__init__(cr)
        self.sequence = []
        counted = cr.execute

        def execute(query, params=None, log_exceptions=True):
            text = (query.code if hasattr(query, "code") else str(query)).lstrip()
            kind = text.split(None, 1)[0].upper() if text else "?"
            self.sequence.append((kind, table_of(text[:200])) if kind in WRITES else None)
            return counted(query, params, log_exceptions)

        cr.execute = execute

    def flushes_since(self, start):
        """The statements sent since the ``start``-th, the consecutive writes
        of the same kind to the same table (the ORM writes 100 rows per
        statement) counted as one."""
        sequence = self.sequence[start:]
        return sum(1 for i, item in enumerate(sequence) if item is None or i == 0 or sequence[i - 1] != item)


def table_of(shape):
    """The table an INSERT/UPDATE/DELETE statement writes."""
    match = re.match(r'(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', shape, re.IGNORECASE)
    return match.group(1) if match else "?"


def writes_since(counter, snap):
    """{table: statements} of the writes sent since ``snap``."""
    writes = collections.Counter()
    for shape, count in (counter.shapes - snap[1]).items():
        if shape.split(" ", 1)[0].upper() in WRITES:
            writes[table_of(shape)] += count
    return dict(writes)


TRAIL_SQL = {
    "activities": "SELECT count(*) FROM mail_activity WHERE res_model = 'logistics.complaint' AND res_id = ANY(%s)",
    "messages": "SELECT count(*) FROM mail_message WHERE model = 'logistics.complaint' AND res_id = ANY(%s)",
    "followers": "SELECT count(*) FROM mail_followers WHERE res_model = 'logistics.complaint' AND res_id = ANY(%s)",
}
TOTALS_SQL = {
    "all activities": "SELECT count(*) FROM mail_activity",
    "all messages": "SELECT count(*) FROM mail_message",
    "all mails": "SELECT count(*) FROM mail_mail",
}


def trail(cr, ids):
    """What the escalation leaves, counted: on the benchmark complaints, and
    in the whole database."""
    counts = {}
    for label, query in TRAIL_SQL.items():
        cr.execute(query, [ids])
        counts[label] = cr.fetchone()[0]
    for label, query in TOTALS_SQL.items():
        cr.execute(query)
        counts[label] = cr.fetchone()[0]
    return counts


def delta(before, after):
    return {key: after[key] - before[key] for key in after}


def run_action(env, counter):
    """One run of the scheduled action as the cron framework runs it
    (ir.cron._run_job): add a progress record and commit, run the server
    action through ir.cron._callback (one batch of _cron_escalate), reset the
    progress's time-out counter, commit, and again while the batch reports
    complaints done and remaining. _run_job stops after MAX_BATCH_PER_CRON_JOB
    batches, and the job is then run again at once (_reschedule_asap): this
    loop goes on the same way. Return ({"calls": [(done, remaining,
    statements)], "shapes": [statements by shape], "flushes": [statements,
    consecutive writes of a table counted once], per batch, "jobs": job runs},
    snapshot of the counter)."""
    from odoo import api

    from odoo.addons.base.models.ir_cron import MAX_BATCH_PER_CRON_JOB

    cron = env.ref(CRON_XMLID)
    job_env = api.Environment(env.cr, cron.user_id.id, {"lastcall": cron.lastcall, "cron_id": cron.id})
    job = job_env["ir.cron"].browse(cron.id)
    name, action_id = cron.cron_name, cron.ir_actions_server_id.id
    snap = counter.snapshot()
    calls, shapes, flushes, jobs = [], [], [], 0
    while True:
        jobs += 1
        for _batch in range(MAX_BATCH_PER_CRON_JOB):
            call_snap, call_seq = counter.snapshot(), len(counter.sequence)
            with_progress, progress = job._add_progress(timed_out_counter=0)
            env.cr.commit()
            with_progress._callback(name, action_id)
            done, remaining = progress.done, progress.remaining
            progress.timed_out_counter = 0
            env.cr.commit()
            calls.append((done, remaining, sum(counter.kinds_since(call_snap).values())))
            shapes.append(counter.shapes - call_snap[1])
            flushes.append(counter.flushes_since(call_seq))
            if not (done and remaining):
                return {"calls": calls, "shapes": shapes, "flushes": flushes, "jobs": jobs}, snap


def print_variations(run, batch_size):
    """The statements sent a different number of times by the full batches
    (writes by kind and table, reads by shape)."""
    full = []
    for (done, _r, _q), shapes in zip(run["calls"], run["shapes"], strict=True):
        if done == batch_size:
            grouped = collections.Counter()
            for shape, count in shapes.items():
                kind = shape.split(" ", 1)[0].upper()
                grouped[f"{kind} {table_of(shape)}" if kind in WRITES else shape] += count
            full.append(grouped)
    varying = sorted({key for grouped in full for key in grouped if len({g[key] for g in full}) > 1})
    if varying:
        print("    statements whose number differs between the full batches (per full batch):")
        for key in varying:
            print(f"      {[grouped[key] for grouped in full]}  {key}")


def print_profile(profiler, args):
    os.makedirs(args.profile, exist_ok=True)
    path = os.path.join(args.profile, "escalation.prof")
    profiler.dump_stats(path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print(f"    --- cProfile of the run ({path}), top 45 by cumulative time ---")
    print("\n".join("    " + line for line in out.getvalue().strip().splitlines()[3:]))


def plain_select(cr, now):
    """The plain SQL selecting the complaints due, PLAIN_RUNS times: (best
    time, their ids in order)."""
    timings = []
    for _run in range(PLAIN_RUNS):
        t0 = time.perf_counter()
        cr.execute(PLAIN_SQL, [RUNNING_STATES, now])
        rows = cr.fetchall()
        timings.append(time.perf_counter() - t0)
    return min(timings), [row[0] for row in rows]


# --------------------------------------------------------------------------- main


def main():
    args = parse_args()
    addons = addons_path()
    must_fill = prepare_database(args, addons, FILL_KEY, fill_marker(args), fill_when_empty=True)

    from odoo import SUPERUSER_ID, api

    registry = open_registry(args.db, addons)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if must_fill:
            fill(env, args)
        cr.execute("SELECT id FROM logistics_complaint WHERE name LIKE %s ORDER BY id", [NAME_PREFIX + "%"])
        ids = [row[0] for row in cr.fetchall()]
        if len(ids) != args.complaints:
            die(f"expected {args.complaints} benchmark complaints in '{args.db}', found {len(ids)}")
        t0 = time.perf_counter()
        reset(env, args, ids)
        info(f"set the state and clock of the complaints in {time.perf_counter() - t0:.1f} s")
    tables = "logistics_complaint, res_partner, mail_activity, mail_message, mail_followers, mail_mail"
    if psql(args.db, f"VACUUM ANALYZE {tables}") is None:
        die(f"VACUUM ANALYZE {tables} failed in '{args.db}'")

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return measure(env, ids, args)


def describe(env, ids, args):
    cr = env.cr
    cr.execute("SELECT state, count(*) FROM logistics_complaint WHERE id = ANY(%s) GROUP BY 1 ORDER BY 2 DESC", [ids])
    states = ", ".join(f"{state} {count}" for state, count in cr.fetchall())
    cr.execute(
        "SELECT sla_status, count(*) FROM logistics_complaint WHERE id = ANY(%s) GROUP BY 1 ORDER BY 2 DESC", [ids]
    )
    statuses = ", ".join(f"{status} {count}" for status, count in cr.fetchall())
    cr.execute(
        "SELECT severity, count(*) FROM logistics_complaint WHERE id = ANY(%s) GROUP BY 1 ORDER BY 2 DESC", [ids]
    )
    severities = ", ".join(f"{severity} {count}" for severity, count in cr.fetchall())
    cr.execute(
        """SELECT COALESCE(p.logistics_grade->>%s, 'none'), count(*)
             FROM logistics_complaint c JOIN res_partner p ON p.id = c.commercial_partner_id
            WHERE c.id = ANY(%s) GROUP BY 1 ORDER BY 1""",
        [str(env.ref("base.main_company").id), ids],
    )
    grades = ", ".join(f"{grade} {count}" for grade, count in cr.fetchall())
    cr.execute(
        "SELECT count(DISTINCT commercial_partner_id), count(DISTINCT user_id), count(*) FILTER (WHERE user_id IS NULL)"
        " FROM logistics_complaint WHERE id = ANY(%s)",
        [ids],
    )
    customers, owners, unowned = cr.fetchone()
    supervisors = env.ref("base.main_company").logistics_complaint_escalation_user_id
    if not supervisors:
        supervisors = env["logistics.complaint"].browse(ids[:1])._logistics_escalation_users()
    print(
        f"{len(ids)} open complaints of {customers} customers, received over the last {args.days} days; "
        f"the escalation last ran {args.behind} min ago"
    )
    print(f"    states: {states}")
    print(f"    SLA status: {statuses}")
    print(f"    severities: {severities}; customers' grades (by complaint): {grades}")
    print(
        f"    {owners} owners ({unowned} complaints without owner); a breach is escalated to "
        f"{len(supervisors)} users: {', '.join(supervisors.mapped('login'))}"
    )
    return len(supervisors)


def measure(env, ids, args):
    from odoo import fields

    cr = env.cr
    counter = StatementLog(cr)
    escalated_to = describe(env, ids, args)
    batch_size = inspect.signature(type(env["logistics.complaint"])._cron_escalate).parameters["batch_size"].default
    print(f"start: {load()}")
    print()

    # the escalation's clock stands still from here: the run takes time, and
    # complaints getting due meanwhile would be left to the second run
    start = fields.Datetime.now()
    clock = patch.object(fields.Datetime, "now", staticmethod(lambda *_args: start))
    clock.start()
    try:
        results = measure_runs(env, ids, args, counter, start, batch_size, escalated_to)
    finally:
        clock.stop()
    print()
    for label, ok in results:
        print(f"{'SKIP' if ok is None else 'PASS' if ok else 'FAIL'}  {label}")
    print(f"end: {load()}")
    return 0 if all(ok is not False for _label, ok in results) else 1


def lower_bound(cr, start):
    """(1): time the plain SQL; return the complaints due, in order, with
    whether each is a breach and has an owner."""
    plain, due_ids = plain_select(cr, start)
    cr.execute(DUE_SQL, {"now": start, "states": RUNNING_STATES})
    due = cr.fetchall()
    if [row[0] for row in due] != due_ids:
        die("the plain SQL and DUE_SQL disagree")
    breaches = sum(1 for _id, breach, _owned in due if breach)
    unowned = sum(1 for _id, breach, owned in due if not breach and not owned)
    print(
        f"(1) plain SQL selecting the complaints due at {start} (the lower bound): {len(due)} rows "
        f"({breaches} past their pending deadline, {len(due) - breaches} at risk of which {unowned} without owner), "
        f"best of {PLAIN_RUNS}: {plain * 1000:.1f} ms; {load()}"
    )
    return plain, due


def first_run(env, ids, args, counter, plain, batch_size):
    """(2): one run of the scheduled action, measured."""
    cr = env.cr
    before = trail(cr, ids)
    cr.commit()
    t_before = cr.now()
    profiler = cProfile.Profile() if args.profile else None
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    run, snap = run_action(env, counter)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    sql = counter.seconds_since(snap)
    kinds = counter.kinds_since(snap)
    top = counter.top_since(snap, top=20)
    created = delta(before, trail(cr, ids))
    cr.execute("SELECT count(*) FROM logistics_complaint WHERE id = ANY(%s) AND write_date >= %s", [ids, t_before])
    written = cr.fetchone()[0]
    calls = run["calls"]
    done = sum(call[0] for call in calls)
    print(
        f"(2) one run of the scheduled action: {len(calls)} batch(es) of up to {batch_size} (_cron_escalate through "
        f"ir.cron._callback, each committed; {run['jobs']} job run(s) of at most 10 batches), {done} complaints "
        f"escalated in {wall:.2f} s (this process's CPU {cpu:.2f} s, in SQL execute() {sql:.2f} s) = "
        f"{wall / plain:.0f}x the plain SQL; {load()}"
    )
    print(f"    SQL statements: {sum(kinds.values())} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"    writes by table: {writes_since(counter, snap)}")
    print("    statements per batch (escalated: statements): " + ", ".join(f"{d}: {q}" for d, _r, q in calls))
    print(
        "    the same, consecutive writes of a table (one statement per 100 rows) counted once: "
        + ", ".join(str(n) for n in run["flushes"])
    )
    print(f"    created: {created}; complaints written: {written}")
    print_variations(run, batch_size)
    if profiler:
        print_profile(profiler, args)
    if args.queries:
        print(f"    --- SQL of the run: {sql:.2f} s in execute(), by statement (top by time) ---")
        for shape, count, seconds in top:
            print(f"    {seconds:7.2f} s {count:6d}x  {shape}")
    return {
        "wall": wall,
        "calls": calls,
        "flushes": run["flushes"],
        "done": done,
        "created": created,
        "written": written,
    }


def second_run(env, ids, counter):
    """(3): the second run at the same instant, which must write nothing."""
    cr = env.cr
    before = trail(cr, ids)
    cr.execute("SELECT max(write_date) FROM logistics_complaint WHERE id = ANY(%s)", [ids])
    last_write = cr.fetchone()[0]
    cr.commit()
    t0 = time.perf_counter()
    run, snap = run_action(env, counter)
    wall = time.perf_counter() - t0
    created = delta(before, trail(cr, ids))
    writes = writes_since(counter, snap)
    cr.execute("SELECT max(write_date) FROM logistics_complaint WHERE id = ANY(%s)", [ids])
    rewritten = cr.fetchone()[0] != last_write
    print(
        f"(3) second run at the same instant: {sum(c[0] for c in run['calls'])} complaints escalated in "
        f"{wall * 1000:.1f} ms, {len(run['calls'])} batch(es); SQL statements {counter.kinds_since(snap)}; "
        f"writes by table {writes or 'none'}; created {created}; a complaint's write_date changed: {rewritten}"
    )
    return {
        "created": created,
        "rewritten": rewritten,
        "writes": {table: n for table, n in writes.items() if table not in FRAMEWORK_TABLES},
    }


def measure_runs(env, ids, args, counter, start, batch_size, escalated_to):
    plain, due = lower_bound(env.cr, start)
    first = first_run(env, ids, args, counter, plain, batch_size)
    _plain, left = plain_select(env.cr, start)
    second = second_run(env, ids, counter)

    breaches = sum(1 for _id, breach, _owned in due if breach)
    risks_owned = sum(1 for _id, breach, owned in due if owned and not breach)
    activities = risks_owned + breaches * escalated_to
    # one mail per batch with a breach (one company, one group of supervisors)
    mails = sum(1 for i in range(0, len(due), batch_size) if any(row[1] for row in due[i : i + batch_size]))
    created, calls = first["created"], first["calls"]
    # the full batches after the first one, which fills the caches of a new registry
    full = [q for d, _r, q in calls[1:] if d == batch_size]
    flushes = [f for (d, _r, _q), f in zip(calls[1:], first["flushes"][1:], strict=True) if d == batch_size]
    created2 = second["created"]
    escalated = (
        f"every complaint due escalated ({first['done']} of {len(due)}, {len(left)} still due after the run, "
        f"{first['written']} written)"
    )
    trail_label = (
        f"one activity per owned complaint at risk and {escalated_to} per breach ({risks_owned} + {breaches} x "
        f"{escalated_to} = {activities}: {created['activities']} created), one chatter note per breach "
        f"({created['messages']} messages), one mail per batch with breaches ({mails}: {created['all mails']})"
    )
    constant = (
        f"statements per full batch constant, the statements of one write of many rows (the ORM sends one per 100 "
        f"rows) counted as one: {sorted(set(flushes)) or 'no full batch after the first'} in the {len(full)} full "
        f"batches after the first one (which fills the registry's caches: {first['flushes'][0]}); all statements "
        f"counted: {sorted(set(full))}, first batch {calls[0][2]}"
    )
    nothing = (
        f"a second run writes nothing (writes other than the cron's progress records: {second['writes'] or 'none'}"
        f", new activities/messages/mails: {created2['all activities']}/{created2['all messages']}/"
        f"{created2['all mails']}, write_date changed: {second['rewritten']})"
    )
    return [
        (escalated, first["done"] == len(due) == first["written"] and not left),
        (
            trail_label,
            created["activities"] == activities and created["messages"] == breaches and created["all mails"] == mails,
        ),
        (f"one run of the escalation under {TARGET_S:.0f} s: {first['wall']:.2f} s", first["wall"] < TARGET_S),
        (constant, len(set(flushes)) == 1 if flushes else None),
        (nothing, not second["writes"] and not any(created2.values()) and not second["rewritten"]),
    ]


if __name__ == "__main__":
    sys.exit(main())
