#!/usr/bin/env python3
"""Benchmark of the nightly service KPI recompute of logistics_crm at scale.

Creates (or, with --keep, reuses) a scratch database with logistics_crm
installed without demo data, fills it with SQL with --customers commercial
customers, --deliveries done outgoing deliveries of the main company over the
last --months months (one move each, about 10 % short, 5 % with a backorder,
the rest of the lateness set by the customer's profile) and --complaints
complaints of some of the customers (a quarter of them in the Damage
category), then, with the clock frozen at the start of the run:

  1. the lower bound: the plain SQL aggregate of the same figures for every
     customer at once (deliveries: count, on time, in full, OTIF, lead time;
     complaints: all and cargo incidents), with the filters of
     res.partner._logistics_kpi_sql but no batch, 5 runs, the best counts;
  2. a full recompute, res.partner._cron_logistics_kpis() (every company, in
     batches of 1000 customers), on a database where no KPI is stored yet:
     time, statements, customers written; the stored figures of every
     customer are then checked against the plain aggregate;
  3. --repeat no-change recomputes (the same call again, the best counts),
     each checked to write nothing (no customer returned as written by
     _logistics_compute_kpis, no UPDATE/INSERT/DELETE, the stored figures
     unchanged);

and checks the targets: full recompute < 60 s, no-change recompute within 5x
the lower bound. Exit status: 0 when every check passes, 1 when one fails, 2
on a usage or setup error. Every run starts by removing every stored KPI, so
--keep measures the same work. See benchmarks/README.md.
"""

import argparse
import json
import sys
import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from unittest.mock import patch

from grade_recompute import (
    Measure,
    QueryCounter,
    addons_path,
    die,
    info,
    load,
    open_registry,
    prepare_database,
    psql,
)

FILL_KEY = "logistics_crm_bench.kpi_fill"
FILL_VERSION = 1
REF_PREFIX = "LCRM-KPI-BENCH-"  # res.partner.ref of the benchmark customers
PICKING_PREFIX = "KPIB/"  # stock.picking.name of the benchmark deliveries
COMPLAINT_PREFIX = "KPIB-CMP/"  # logistics.complaint.name of the benchmark complaints
PRODUCT_NAME = "KPI Bench Goods"
BATCH_SIZE = 1000  # customers per batch, the cron's default
FULL_TARGET_S = 60.0
NOCHANGE_TARGET_RATIO = 5.0
AGGREGATE_RUNS = 5
KPI_COLUMNS = (
    "logistics_delivery_count",
    "logistics_on_time_rate",
    "logistics_in_full_rate",
    "logistics_otif_rate",
    "logistics_lead_time_days",
    "logistics_complaint_rate",
    "logistics_damage_loss_rate",
)
TABLES = "res_partner, stock_picking, stock_move, logistics_complaint, sale_order"

FILL_SQL = """
SELECT setseed(0.61);
WITH src AS (
    SELECT nextval('res_partner_id_seq') AS id, g AS idx FROM generate_series(1, %(customers)s) g
)
INSERT INTO res_partner (
    id, commercial_partner_id, name, complete_name, ref, type, active, is_company, lang,
    autopost_bills, customer_rank, supplier_rank, partner_share, create_uid, write_uid, create_date, write_date
)
SELECT id, id, 'KPI Bench ' || lpad(idx::text, 6, '0'), 'KPI Bench ' || lpad(idx::text, 6, '0'),
       %(ref_prefix)s || lpad(idx::text, 6, '0'), 'contact', TRUE, TRUE, 'en_US', 'ask', 1, 0, TRUE,
       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM src;

-- deliveries to customers at random, done uniformly over the last %(days)s
-- days. A customer is late on 5 %% to 30 %% of its deliveries (its profile,
-- idx %% 6). A third of the deliveries have a deadline, which decides
-- whether they are on time (their scheduled date being then before they
-- were done); the others are on time when done by their scheduled date.
WITH customers AS (
    SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM res_partner WHERE ref LIKE %(ref_like)s
), raw AS (
    SELECT g, floor(random() * %(customers)s)::int AS cidx, random() AS r_date, random() AS r_late,
           random() AS r_deadline, random() AS r_slack
      FROM generate_series(1, %(deliveries)s) g
), placed AS (
    SELECT raw.g, c.id AS partner_id, raw.r_deadline < 0.33 AS has_deadline,
           now() AT TIME ZONE 'UTC' - raw.r_date * %(days)s * interval '1 day' AS date_done,
           CASE WHEN raw.r_late < 0.05 + (c.idx %% 6) * 0.05
                THEN -(1 + raw.r_slack * 71) ELSE raw.r_slack * 48 END * interval '1 hour' AS margin
      FROM raw JOIN customers c ON c.idx = raw.cidx
)
INSERT INTO stock_picking (
    name, partner_id, company_id, picking_type_id, location_id, location_dest_id, move_type, state, priority,
    scheduled_date, date_deadline, date, date_done, create_uid, write_uid, create_date, write_date
)
SELECT %(picking_prefix)s || lpad(g::text, 7, '0'), partner_id, %(company)s, %(picking_type)s, %(src)s, %(dest)s,
       'direct', 'done', '0',
       CASE WHEN has_deadline THEN date_done - interval '12 hours' ELSE date_done + margin END,
       CASE WHEN has_deadline THEN date_done + margin END,
       date_done - interval '3 days', date_done,
       %(uid)s, %(uid)s, date_done - interval '3 days', date_done
  FROM placed;

-- one in 20 deliveries is the backorder of the one before it (same customer):
-- that one has a backorder, so it is not in full
UPDATE stock_picking backorder
   SET backorder_id = original.id, partner_id = original.partner_id
  FROM generate_series(20, %(deliveries)s, 20) g, stock_picking original
 WHERE backorder.name = %(picking_prefix)s || lpad(g::text, 7, '0')
   AND original.name = %(picking_prefix)s || lpad((g - 1)::text, 7, '0');

-- one move each; one in ten short (less delivered than demanded)
INSERT INTO stock_move (
    name, reference, picking_id, picking_type_id, company_id, partner_id, product_id, product_uom,
    location_id, location_dest_id, location_final_id, procure_method, product_uom_qty, product_qty, quantity,
    picked, state, date, create_uid, write_uid, create_date, write_date
)
SELECT %(product_name)s, picking.name, picking.id, picking.picking_type_id, picking.company_id, picking.partner_id,
       %(product)s, %(uom)s, picking.location_id, picking.location_dest_id, picking.location_dest_id,
       'make_to_stock', picking.qty, picking.qty,
       CASE WHEN picking.short THEN floor(picking.qty * random()) ELSE picking.qty END,
       TRUE, 'done', picking.date_done, %(uid)s, %(uid)s, picking.create_date, picking.write_date
  FROM (SELECT p.*, (1 + floor(random() * 20))::numeric AS qty, random() < 0.10 AS short
          FROM stock_picking p WHERE p.name LIKE %(picking_like)s) picking;

-- complaints: some customers complain much more than others; a quarter in
-- the Damage category (a cargo incident), 5 %% Loss, the rest Delay or none
WITH customers AS (
    SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM res_partner WHERE ref LIKE %(ref_like)s
), raw AS (
    SELECT g, floor(power(random(), 3) * %(customers)s)::int AS cidx, random() AS r_cat,
           now() AT TIME ZONE 'UTC' - random() * %(days)s * interval '1 day' AS received
      FROM generate_series(1, %(complaints)s) g
)
INSERT INTO logistics_complaint (
    name, company_id, partner_id, commercial_partner_id, category_id, channel, severity, state,
    summary, needs_triage, is_repeat, paused_hours, reopen_count, date_received,
    create_uid, write_uid, create_date, write_date
)
SELECT %(complaint_prefix)s || lpad(g::text, 6, '0'), %(company)s, c.id, c.id,
       CASE WHEN r_cat < 0.25 THEN %(damage)s WHEN r_cat < 0.30 THEN %(loss)s WHEN r_cat < 0.80 THEN %(delay)s END,
       'phone', 'normal', 'closed', 'KPI benchmark complaint ' || g, FALSE, FALSE, 0, 0, received,
       %(uid)s, %(uid)s, received, received
  FROM raw JOIN customers c ON c.idx = raw.cidx;
"""

# Every KPI of every partner, in every company (jsonb columns keyed by company id)
RESET_SQL = "UPDATE res_partner SET {} WHERE {}".format(
    ", ".join(f"{column} = NULL" for column in KPI_COLUMNS),
    " OR ".join(f"{column} IS NOT NULL" for column in KPI_COLUMNS),
)

# The figures of res.partner._logistics_kpi_sql, for every customer of every
# company at once: one plain join of the deliveries of the window with their
# contacts, grouped by company and commercial partner, with the same filters
# and the same on time / in full tests; then the complaints, likewise.
LOWER_BOUND_DELIVERIES_SQL = """
SELECT picking.company_id, contact.commercial_partner_id,
       COUNT(*) AS total,
       COUNT(*) FILTER (WHERE deliveries.on_time) AS on_time,
       COUNT(*) FILTER (WHERE deliveries.in_full) AS in_full,
       COUNT(*) FILTER (WHERE deliveries.on_time AND deliveries.in_full) AS otif,
       AVG(EXTRACT(EPOCH FROM picking.date_done - sale.date_order) / 86400.0) AS lead_days
  FROM stock_picking picking
  JOIN res_partner contact ON contact.id = picking.partner_id
  JOIN stock_picking_type picking_type ON picking_type.id = picking.picking_type_id AND picking_type.code = 'outgoing'
  LEFT JOIN sale_order sale ON sale.id = picking.sale_id
 CROSS JOIN LATERAL (
       SELECT picking.date_done <= COALESCE(picking.date_deadline, picking.scheduled_date) AS on_time,
              NOT EXISTS (SELECT 1 FROM stock_picking backorder WHERE backorder.backorder_id = picking.id)
              AND NOT EXISTS (
                  SELECT 1 FROM stock_move move
                   WHERE move.picking_id = picking.id
                     AND move.product_uom_qty > 0
                     AND (move.state = 'cancel' OR move.quantity < move.product_uom_qty)
              ) AS in_full
 ) deliveries
 WHERE picking.state = 'done' AND picking.company_id = ANY(%(companies)s) AND picking.date_done >= %(since)s
 GROUP BY picking.company_id, contact.commercial_partner_id
"""

LOWER_BOUND_COMPLAINTS_SQL = """
SELECT complaint.company_id, complaint.commercial_partner_id,
       COUNT(*), COUNT(*) FILTER (WHERE category.cargo_incident)
  FROM logistics_complaint complaint
  LEFT JOIN logistics_complaint_category category ON category.id = complaint.category_id
 WHERE complaint.company_id = ANY(%(companies)s) AND complaint.create_date >= %(since)s
 GROUP BY complaint.company_id, complaint.commercial_partner_id
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="lcrm_bench_kpi", help="scratch database (default: %(default)s)")
    parser.add_argument("--customers", type=int, default=20000, help="customers (default: %(default)s)")
    parser.add_argument(
        "--deliveries", type=int, default=200000, help="done outgoing deliveries (default: %(default)s)"
    )
    parser.add_argument("--complaints", type=int, default=4000, help="complaints (default: %(default)s)")
    parser.add_argument("--months", type=int, default=15, help="over the last N months (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="reuse the database when it holds a fill of this size")
    parser.add_argument(
        "--repeat", type=int, default=3, help="no-change recomputes, the best one counts (default: %(default)s)"
    )
    parser.add_argument("--queries", action="store_true", help="print the costliest SQL statements of each recompute")
    parser.add_argument(
        "--profile", metavar="DIR", help="profile each recompute with cProfile into DIR (timings inflated)"
    )
    args = parser.parse_args()
    if min(args.customers, args.deliveries, args.months, args.repeat) < 1 or args.complaints < 0:
        die("--customers, --deliveries, --months and --repeat must be positive, --complaints not negative")
    return args


def fill_marker(args):
    return {
        "version": FILL_VERSION,
        "customers": args.customers,
        "deliveries": args.deliveries,
        "complaints": args.complaints,
        "months": args.months,
    }


def fill(env, args):
    """A product through the ORM, then the customers, deliveries, moves and
    complaints with SQL."""
    company = env.ref("base.main_company")
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    out_type = warehouse.out_type_id
    if not out_type:
        die(f"no outgoing picking type in {company.name}")
    product = env["product.product"].create({"name": PRODUCT_NAME, "type": "consu"})
    env.flush_all()
    t0 = time.perf_counter()
    env.cr.execute(
        FILL_SQL,
        {
            "customers": args.customers,
            "deliveries": args.deliveries,
            "complaints": args.complaints,
            "days": round(args.months * 30.4),
            "ref_prefix": REF_PREFIX,
            "ref_like": REF_PREFIX + "%",
            "picking_prefix": PICKING_PREFIX,
            "picking_like": PICKING_PREFIX + "%",
            "complaint_prefix": COMPLAINT_PREFIX,
            "company": company.id,
            "picking_type": out_type.id,
            "src": out_type.default_location_src_id.id,
            "dest": (out_type.default_location_dest_id or env.ref("stock.stock_location_customers")).id,
            "product": product.id,
            "product_name": PRODUCT_NAME,
            "uom": product.uom_id.id,
            "damage": env.ref("logistics_crm.complaint_category_damage").id,
            "loss": env.ref("logistics_crm.complaint_category_loss").id,
            "delay": env.ref("logistics_crm.complaint_category_delay").id,
            "uid": env.ref("base.user_admin").id,
        },
    )
    env["ir.config_parameter"].set_param(FILL_KEY, json.dumps(fill_marker(args)))
    env.flush_all()
    env.cr.commit()
    env.invalidate_all()  # the ORM knows nothing of what was inserted behind its back
    info(
        f"filled {args.customers} customers, {args.deliveries} deliveries and {args.complaints} complaints "
        f"in {time.perf_counter() - t0:.1f} s"
    )


def lower_bound(cr, companies, since):
    """The plain aggregate, AGGREGATE_RUNS times: (best deliveries, best
    complaints, best of both in a row, {(company, partner): expected figures})."""
    params = {"companies": companies.ids, "since": since}
    best = {"deliveries": None, "complaints": None, "both": None}
    for _run in range(AGGREGATE_RUNS):
        t0 = time.perf_counter()
        cr.execute(LOWER_BOUND_DELIVERIES_SQL, params)
        deliveries = cr.fetchall()
        t1 = time.perf_counter()
        cr.execute(LOWER_BOUND_COMPLAINTS_SQL, params)
        complaints = cr.fetchall()
        t2 = time.perf_counter()
        for key, elapsed in (("deliveries", t1 - t0), ("complaints", t2 - t1), ("both", t2 - t0)):
            best[key] = elapsed if best[key] is None else min(best[key], elapsed)
    incidents = {(company, partner): (total, cargo) for company, partner, total, cargo in complaints}
    expected = {}
    for company, partner, total, on_time, in_full, otif, lead in deliveries:
        complained, cargo = incidents.get((company, partner), (0, 0))

        def rate(count, total=total):
            # as ROUND(100.0 * count / total, 1) in PostgreSQL: numeric, half away from zero
            return float((Decimal(100 * count) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP))

        expected[company, partner] = (
            total,
            rate(on_time),
            rate(in_full),
            rate(otif),
            None if lead is None else float(Decimal(lead).quantize(Decimal("0.1"), ROUND_HALF_UP)),
            rate(complained),
            rate(cargo),
        )
    return best, expected, len(deliveries), len(complaints)


def stored_figures(cr, companies, ids):
    """{(company, partner): stored KPIs} of the customers ``ids`` that have any."""
    stored = {}
    for company in companies:
        key = str(company.id)
        cr.execute(
            "SELECT id, {} FROM res_partner WHERE id = ANY(%s) AND logistics_delivery_count ? %s".format(
                ", ".join(f"({column}->>%s)::float8" for column in KPI_COLUMNS)
            ),
            [*([key] * len(KPI_COLUMNS)), ids, key],
        )
        for partner, *values in cr.fetchall():
            stored[company.id, partner] = (int(values[0]), *values[1:])
    return stored


def checksum(cr):
    """The checksum of the stored KPIs and write dates of every partner."""
    cr.execute(
        "SELECT md5(string_agg(concat_ws('|', id, write_date, {}), ',' ORDER BY id)) FROM res_partner".format(
            ", ".join(KPI_COLUMNS)
        )
    )
    return cr.fetchone()[0]


def recompute(env, counter, args, label, now):
    """res.partner._cron_logistics_kpis(now=now), committed; returns the
    Measure with .written (ids returned by _logistics_compute_kpis) and
    .batches (statements of each batch)."""
    Partner = env["res.partner"]
    original = type(Partner)._logistics_compute_kpis
    written, batches = [], []

    def compute(self, partners, company, now=None):
        snap = counter.snapshot()
        ids = original(self, partners, company, now=now)
        written.extend(ids)
        batches.append(sum(counter.kinds_since(snap).values()))
        return ids

    with patch.object(type(Partner), "_logistics_compute_kpis", compute), Measure(counter, label, args) as measured:
        Partner._cron_logistics_kpis(batch_size=BATCH_SIZE, now=now)
        env.cr.commit()
    measured.written = written
    measured.batches = batches
    measured.statements = sum(measured.kinds.values())
    return measured


def main():
    args = parse_args()
    addons = addons_path()
    must_fill = prepare_database(args, addons, FILL_KEY, fill_marker(args), fill_when_empty=True)

    from odoo import SUPERUSER_ID, api, fields

    registry = open_registry(args.db, addons)
    from odoo.addons.logistics_crm.tools.grading import WINDOW_DAYS  # once the addons path is set

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if must_fill:
            fill(env, args)
        t0 = time.perf_counter()
        cr.execute(RESET_SQL)
        info(f"removed the stored KPIs of {cr.rowcount} partners in {time.perf_counter() - t0:.1f} s")
        cr.commit()
    if psql(args.db, f"VACUUM ANALYZE {TABLES}") is None:
        die(f"VACUUM ANALYZE {TABLES} failed")

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        counter = QueryCounter(cr)
        companies = env["res.company"].search([], order="id")
        cr.execute("SELECT id FROM res_partner WHERE ref LIKE %s ORDER BY id", [REF_PREFIX + "%"])
        ids = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT count(*) FROM stock_picking WHERE name LIKE %s", [PICKING_PREFIX + "%"])
        deliveries = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM stock_picking WHERE backorder_id IS NOT NULL")
        backorders = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM stock_move WHERE quantity < product_uom_qty")
        short = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM logistics_complaint")
        complaints = cr.fetchone()[0]
        now = fields.Datetime.now()  # the clock of the whole run
        since = now - timedelta(days=WINDOW_DAYS)
        cr.execute(
            "SELECT count(*) FROM stock_picking WHERE name LIKE %s AND date_done >= %s", [PICKING_PREFIX + "%", since]
        )
        in_window = cr.fetchone()[0]
        print(
            f"{len(ids):,} customers, {deliveries:,} done deliveries over {args.months} months ({in_window:,} in the "
            f"{WINDOW_DAYS}-day window; {backorders:,} with a backorder, {short:,} short moves), "
            f"{complaints:,} complaints; {len(companies)} compan{'y' if len(companies) == 1 else 'ies'}; "
            f"clock frozen at {now}"
        )
        print(f"start: {load()}")

        # (1) the lower bound
        best, expected, with_deliveries, with_complaints = lower_bound(cr, companies, since)
        agg = best["deliveries"]
        print(
            f"(1) plain SQL aggregate, best of {AGGREGATE_RUNS}: deliveries {best['deliveries']:.3f} s "
            f"({with_deliveries:,} customers), complaints {best['complaints']:.3f} s ({with_complaints:,} "
            f"customers), both {best['both']:.3f} s"
        )

        # (2) the full recompute, no KPI stored yet
        full = recompute(env, counter, args, "full", now)
        print(
            f"(2) full recompute, _cron_logistics_kpis({BATCH_SIZE}): {full.timing()}; {len(full.batches)} batches, "
            f"{len(full.written):,} customers written; SQL statements {full.kinds}, per batch {full.batches}"
        )
        stored = stored_figures(cr, companies, ids)
        wrong = sorted(key for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key))
        for key in [*sorted(expected)[:3], *wrong[:5]]:
            print(f"    customer {key[1]} in company {key[0]}: stored {stored.get(key)}, plain SQL {expected.get(key)}")
        print(f"    stored figures checked against the plain SQL: {len(expected):,} customers, {len(wrong)} differ")

        # (3) no-change recomputes
        runs = []
        for run in range(1, args.repeat + 1):
            before = checksum(cr)
            measured = recompute(env, counter, args, f"no-change-{run}", now)
            measured.unchanged = checksum(cr) == before
            measured.writes = {k: v for k, v in measured.kinds.items() if k in ("INSERT", "UPDATE", "DELETE")}
            runs.append(measured)
            print(
                f"(3) no-change recompute #{run}: {measured.timing()}; = {measured.wall / agg:.1f}x the deliveries "
                f"aggregate, {measured.wall / best['both']:.1f}x both; {len(measured.written)} customers written, "
                f"INSERT/UPDATE/DELETE {measured.writes or 'none'}, KPIs and write dates unchanged "
                f"{measured.unchanged}; SQL statements {measured.kinds}"
            )
        nochange = min(runs, key=lambda m: m.wall)
        print()

    rows = [
        ("plain SQL aggregate of the deliveries: count, on time, in full, OTIF (lower bound)", agg, 1, with_deliveries),
        ("plain SQL aggregate of the complaints", best["complaints"], 1, with_complaints),
        ("full recompute, no KPI stored (customers written)", full.wall, full.statements, len(full.written)),
        *(
            (f"no-change recompute #{n} (customers written)", m.wall, m.statements, len(m.written))
            for n, m in enumerate(runs, 1)
        ),
    ]
    print("| What | Time | Ratio | Statements | Customers |")
    print("|---|---|---|---|---|")
    for label, elapsed, statements, count in rows:
        print(f"| {label} | {elapsed:.3f} s | {elapsed / agg:.1f}x | {statements} | {count:,} |")
    print()
    checks = [
        (f"full recompute < {FULL_TARGET_S:.0f} s: {full.wall:.2f} s", full.wall < FULL_TARGET_S),
        (
            (
                f"the full recompute wrote the customers with deliveries ({len(full.written):,} written, "
                f"{with_deliveries:,} with deliveries) and stored what the plain SQL gives ({len(wrong)} differ)"
            ),
            not wrong and len(set(full.written)) == with_deliveries,
        ),
        (
            (
                f"no-change recompute within {NOCHANGE_TARGET_RATIO:.0f}x the lower bound: best "
                f"{nochange.wall:.3f} s = {nochange.wall / agg:.1f}x {agg:.3f} s (deliveries), "
                f"{nochange.wall / best['both']:.1f}x {best['both']:.3f} s (deliveries and complaints)"
            ),
            nochange.wall <= NOCHANGE_TARGET_RATIO * agg,
        ),
        (
            "no-change recompute wrote nothing: "
            + "; ".join(
                f"run {n}: {len(m.written)} written, INSERT/UPDATE/DELETE {m.writes or 'none'}, unchanged {m.unchanged}"
                for n, m in enumerate(runs, 1)
            ),
            all(not m.written and not m.writes and m.unchanged for m in runs),
        ),
    ]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    print(f"end: {load()}")
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
