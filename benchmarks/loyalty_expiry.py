#!/usr/bin/env python3
"""Benchmark of the nightly loyalty run of logistics_crm at scale: the FIFO
expiry of points and the tier recompute.

Creates (or, with --keep, reuses) a scratch database with logistics_crm
installed without demo data, fills it with SQL with --cards customers, each
with a card in the main company's logistics programme, and --entries ledger
entries over the last --months months (mostly earnings; redemptions and
reversals that never take a card below zero; each card's points the sum of
its entries), then, in one run:

  1. the lower bounds: the plain SQL aggregate that finds the points to
     expire of every card (the FIFO sum of loyalty.history.
     _logistics_unconsumed_old_points, run directly), and the plain SQL of
     every card's points earned over 12 months (the tier's input); 5 runs
     each, the best counts;
  2. the expiry, loyalty.history._logistics_expire() on all cards (time,
     statements, entries written), then its rerun, checked to write nothing;
  3. the tier recompute, loyalty.card._logistics_recompute_tiers() on all
     cards, then its rerun, checked to write nothing;
  4. the ledger check, loyalty.card._logistics_check_ledger(), checked to
     find nothing;

and checks the targets: each action under 60 s, each rerun within 5x its
lower bound. Exit status 0 when every check passes, 1 when one fails, 2 on a
usage or setup error. Each measured action runs in its own transaction,
rolled back before the next fill-dependent step is reset (the expiry and tiers
are reset at the start of every run, so --keep measures the same work).
"""

import argparse
import json
import sys
import time

from grade_recompute import QueryCounter, addons_path, die, info, load, open_registry, prepare_database, psql

FILL_KEY = "logistics_crm_bench.loyalty_fill"
FILL_VERSION = 1
REF_PREFIX = "LCRM-LOY-BENCH-"
TARGET_S = 60.0
RERUN_RATIO = 5.0
RUNS = 5

FILL_SQL = """
SELECT setseed(0.24);
WITH src AS (
    SELECT nextval('res_partner_id_seq') AS id, g AS idx FROM generate_series(1, %(cards)s) g
)
INSERT INTO res_partner (
    id, commercial_partner_id, name, complete_name, ref, type, active, is_company, lang,
    autopost_bills, customer_rank, supplier_rank, partner_share, create_uid, write_uid, create_date, write_date
)
SELECT id, id, 'Loyal Bench ' || lpad(idx::text, 6, '0'), 'Loyal Bench ' || lpad(idx::text, 6, '0'),
       %(ref_prefix)s || lpad(idx::text, 6, '0'), 'contact', TRUE, TRUE, 'en_US', 'ask', 1, 0, TRUE,
       %(uid)s, %(uid)s, now(), now()
  FROM src;

INSERT INTO loyalty_card (
    program_id, company_id, partner_id, code, active, points, logistics_company_id, logistics_points_12m,
    create_uid, write_uid, create_date, write_date
)
SELECT %(program)s, %(company)s, partner.id, 'LOYBENCH' || partner.id, TRUE, 0, %(company)s, 0,
       %(uid)s, %(uid)s, now(), now()
  FROM res_partner partner
 WHERE partner.ref LIKE %(ref_like)s;

-- each card: entries spread over the months, oldest first; one in five a
-- debit (redemption or reversal) worth at most a third of the earnings
-- before it, so that no balance goes below zero
WITH cards AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM loyalty_card WHERE code LIKE 'LOYBENCH%%'
), raw AS (
    SELECT cards.id AS card_id, g AS k,
           now() - make_interval(secs => (%(months)s * 30.4 * 86400) * (1 - (g - 1)::float / %(per_card)s)
                                          - random() * 3600) AS at,
           (50 + floor(random() * 450))::float AS amount
      FROM cards, generate_series(1, %(per_card)s) g
)
INSERT INTO loyalty_history (
    card_id, company_id, logistics_partner_id, logistics_kind, logistics_date, issued, used,
    description, order_model, create_uid, write_uid, create_date, write_date
)
SELECT raw.card_id, %(company)s, card.partner_id,
       CASE WHEN raw.k %% 5 = 0 THEN (CASE WHEN raw.k %% 10 = 0 THEN 'reverse' ELSE 'redeem' END) ELSE 'earn' END,
       raw.at,
       CASE WHEN raw.k %% 5 = 0 THEN 0 ELSE raw.amount END,
       CASE WHEN raw.k %% 5 = 0 THEN floor(raw.amount / 3) ELSE 0 END,
       'Bench entry ' || raw.k, 'sale.order', %(uid)s, %(uid)s, raw.at, raw.at
  FROM raw JOIN loyalty_card card ON card.id = raw.card_id;

UPDATE loyalty_card card SET points = ledger.points
  FROM (SELECT card_id, SUM(issued - used) AS points FROM loyalty_history GROUP BY card_id) ledger
 WHERE ledger.card_id = card.id AND card.code LIKE 'LOYBENCH%%';
"""

RESET_SQL = """
DELETE FROM loyalty_history entry USING loyalty_card card
 WHERE card.id = entry.card_id AND card.code LIKE 'LOYBENCH%%' AND entry.logistics_kind = 'expire';
UPDATE loyalty_card card
   SET points = ledger.points, logistics_tier_id = NULL, logistics_points_12m = 0
  FROM (SELECT card_id, SUM(issued - used) AS points FROM loyalty_history GROUP BY card_id) ledger
 WHERE ledger.card_id = card.id AND card.code LIKE 'LOYBENCH%%';
"""

LOWER_BOUND_EXPIRY_SQL = """
SELECT card_id, points FROM (
    SELECT h.card_id,
           SUM(CASE WHEN h.logistics_kind IS DISTINCT FROM 'redeem'
                     AND h.logistics_date < now() - make_interval(months => co.logistics_loyalty_expiry_months)
                    THEN h.issued ELSE 0 END)
         - SUM(h.used) + SUM(CASE WHEN h.logistics_kind = 'redeem' THEN h.issued ELSE 0 END) AS points
      FROM loyalty_history h
      JOIN loyalty_card c ON c.id = h.card_id
      JOIN res_company co ON co.id = c.logistics_company_id
     GROUP BY h.card_id
) unconsumed WHERE points > 0
"""

LOWER_BOUND_TIERS_SQL = """
SELECT card_id, SUM(CASE WHEN logistics_kind = 'earn' THEN issued ELSE -used END)
  FROM loyalty_history
 WHERE logistics_kind IN ('earn', 'reverse') AND logistics_date >= now() - interval '12 months'
 GROUP BY card_id
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="lcrm_bench_loyalty", help="scratch database (default: %(default)s)")
    parser.add_argument("--cards", type=int, default=20000, help="customers with a card (default: %(default)s)")
    parser.add_argument("--entries", type=int, default=1000000, help="ledger entries (default: %(default)s)")
    parser.add_argument("--months", type=int, default=30, help="over the last N months (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="reuse the database when it holds a fill of this size")
    args = parser.parse_args()
    if min(args.cards, args.entries, args.months) < 1 or args.entries < args.cards:
        die("--cards, --entries and --months must be positive, with at least one entry per card")
    return args


def fill_marker(args):
    return {"version": FILL_VERSION, "cards": args.cards, "entries": args.entries, "months": args.months}


def fill(env, args):
    company = env.ref("base.main_company")
    t0 = time.perf_counter()
    env.flush_all()
    env.cr.execute(
        FILL_SQL,
        {
            "cards": args.cards,
            "per_card": args.entries // args.cards,
            "months": args.months,
            "ref_prefix": REF_PREFIX,
            "ref_like": REF_PREFIX + "%",
            "program": company.logistics_loyalty_program_id.id,
            "company": company.id,
            "uid": env.ref("base.user_admin").id,
        },
    )
    env["ir.config_parameter"].set_param(FILL_KEY, json.dumps(fill_marker(args)))
    env.cr.commit()
    env.invalidate_all()
    info(f"filled {args.cards} cards and their ledger in {time.perf_counter() - t0:.1f} s")


def best_of(cr, sql):
    best, rows = None, None
    for _run in range(RUNS):
        t0 = time.perf_counter()
        cr.execute(sql)
        rows = cr.fetchall()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best, rows


def timed(env, counter, label, action):
    snap = counter.snapshot()
    t0 = time.perf_counter()
    result = action()
    env.flush_all()
    elapsed = time.perf_counter() - t0
    statements = sum(counter.kinds_since(snap).values())
    info(f"{label}: {elapsed:.2f} s, {statements} statements ({load()})")
    return elapsed, statements, result


def main():
    args = parse_args()
    addons = addons_path()
    must_fill = prepare_database(args, addons, FILL_KEY, fill_marker(args))

    from odoo import SUPERUSER_ID, api

    registry = open_registry(args.db, addons)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if must_fill:
            fill(env, args)
        env.cr.execute(RESET_SQL)
        env.cr.execute("SELECT count(*) FROM loyalty_card WHERE code LIKE 'LOYBENCH%%'")
        cards = env.cr.fetchone()[0]
        env.cr.execute("SELECT count(*) FROM loyalty_history")
        entries = env.cr.fetchone()[0]
        env.cr.commit()
    if psql(args.db, "VACUUM ANALYZE loyalty_history, loyalty_card") is None:
        die("VACUUM ANALYZE failed")
    print(f"{cards} cards, {entries} ledger entries over {args.months} months")

    failures = []
    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        counter = QueryCounter(cr)
        History = env["loyalty.history"]
        Card = env["loyalty.card"]
        expiry_bound, to_expire = best_of(cr, LOWER_BOUND_EXPIRY_SQL)
        tiers_bound, _totals = best_of(cr, LOWER_BOUND_TIERS_SQL)
        rows.append(("plain SQL: the points to expire of every card (lower bound)", expiry_bound, 1, len(to_expire)))
        rows.append(("plain SQL: every card's 12-month earnings (lower bound)", tiers_bound, 1, len(_totals)))

        elapsed, statements, written = timed(env, counter, "expiry", lambda: History._logistics_expire())
        rows.append(("expiry of every card (entries written)", elapsed, statements, len(written)))
        if len(written) != len(to_expire):
            failures.append(f"the expiry wrote {len(written)} entries, the plain SQL finds {len(to_expire)} cards")
        if elapsed > TARGET_S:
            failures.append(f"expiry {elapsed:.1f} s > {TARGET_S} s")
        cr.commit()
        elapsed, statements, written = timed(env, counter, "expiry rerun", lambda: History._logistics_expire())
        rows.append(("expiry rerun (writes nothing)", elapsed, statements, len(written)))
        if written:
            failures.append(f"the expiry rerun wrote {len(written)} entries")
        if elapsed > RERUN_RATIO * expiry_bound:
            failures.append(f"expiry rerun {elapsed:.2f} s > {RERUN_RATIO}x the lower bound {expiry_bound:.2f} s")

        elapsed, statements, changed = timed(env, counter, "tiers", lambda: Card._logistics_recompute_tiers())
        rows.append(("tier recompute of every card (tiers changed)", elapsed, statements, len(changed)))
        if elapsed > TARGET_S:
            failures.append(f"tier recompute {elapsed:.1f} s > {TARGET_S} s")
        cr.commit()
        env.invalidate_all()
        elapsed, statements, changed = timed(env, counter, "tiers rerun", lambda: Card._logistics_recompute_tiers())
        rows.append(("tier recompute rerun (writes nothing)", elapsed, statements, len(changed)))
        if changed:
            failures.append(f"the tier rerun changed {len(changed)} cards")
        if elapsed > RERUN_RATIO * tiers_bound:
            failures.append(f"tier rerun {elapsed:.2f} s > {RERUN_RATIO}x the lower bound {tiers_bound:.2f} s")

        elapsed, statements, wrong = timed(env, counter, "ledger check", lambda: Card._logistics_check_ledger())
        rows.append(("ledger check (cards whose points differ from their ledger)", elapsed, statements, len(wrong)))
        if wrong:
            failures.append(f"{len(wrong)} cards differ from their ledger")
        cr.rollback()

    print()
    print("| What | Time | Statements | Records |")
    print("|---|---|---|---|")
    for label, elapsed, statements, count in rows:
        print(f"| {label} | {elapsed:.2f} s | {statements} | {count:,} |")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
