#!/usr/bin/env python3
"""Benchmark of the nightly grade recompute of logistics_crm at scale, with two
companies sharing the customers.

Creates (or, with --keep, reuses) a scratch database with logistics_crm
installed without demo data, adds a second company (in EUR) through the ORM,
fills it with SQL with --customers commercial customers shared by both
companies (no company of their own) and --orders confirmed sale orders split
between the two companies (one in two), dated over the last --days days, then
times, in one run:

  1. the plain SQL aggregate that reads the figures of all the customers in
     both companies at once (the aggregate of
     logistics.grading._sales_figures_sql, as one plain join over every
     customer, grouped by company and customer): the lower bound of any
     recompute, run 5 times before and 5 times after the recomputes, the best
     run counts;
  2. a first full recompute of both companies, the way the nightly cron grades:
     logistics.grading._grade(partners, company) in batches of 1000 customers
     per company, each batch committed, in which every customer gets a grade
     in each company (2 x --customers gradings, each logged in the grade
     history of its company);
  3. full recomputes of both companies in which nothing changes (--repeat, 3 by
     default, the best one counts), each checked to write nothing;
  4. (unless --no-cron) the nightly cron itself, logistics.grading._cron_grade
     called (and committed) until it has graded every customer in every
     company, on unchanged figures: it only writes the grading dates;

and checks the targets: full recompute < 60 s, no-change recompute within 5x
the plain aggregate. Exit status: 0 when every check passes, 1 when one fails,
2 on a usage or setup error.

The database is a scratch database, and everything is committed: the fill, and
the recomputes batch by batch. Before measuring, the grading state of the
benchmark customers is reset (their company-dependent figures, grades and
grading dates in every company, grade history, chatter), so that every run,
--keep or not, measures the same work. See benchmarks/README.md.
"""

import argparse
import collections
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository root, which holds logistics_crm
PYTHON = os.environ.get("PYTHON", sys.executable)
CREATED_KEY = "logistics_crm_bench.created"  # ir.config_parameter: this script created the database
FILL_KEY = "logistics_crm_bench.fill"  # ir.config_parameter: the fill, once committed
REF_PREFIX = "LCRM-BENCH-"  # res.partner.ref of the benchmark customers
ORDER_PREFIX = "BENCH/"  # sale.order.name of the benchmark orders
COMPANY2_NAME = "Logistics CRM Bench Company EUR"  # the second company, created at the fill
FILL_VERSION = 2  # in the fill marker: a fill of an older script (one company) is never reused
BATCH_SIZE = 1000  # customers per batch and company, as the nightly cron (logistics.grading._cron_grade)
FULL_TARGET_S = 60.0
NOCHANGE_TARGET_RATIO = 5.0
AGGREGATE_RUNS = 5
GUARD_HOURS = 2  # no order leaves the 365-day window during the first GUARD_HOURS of a run


def die(msg, status=2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(status)


def info(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- setup


def run_odoo_python(code, *args, capture=True):
    """Run ``code`` with $PYTHON from /tmp, as scripts/lib.sh does (so that the
    current directory never shadows a package)."""
    return subprocess.run([PYTHON, "-c", code, *args], cwd="/tmp", check=False, text=True, capture_output=capture)


def addons_path():
    """Odoo's default addons path plus the repository root (as scripts/lib.sh)."""
    res = run_odoo_python(
        "from odoo.tools import config; config.parse_config([], setup_logging=False); print(config['addons_path'])"
    )
    if res.returncode:
        die(f"cannot read Odoo's default addons path (is Odoo 18 importable by {PYTHON}?)\n{res.stderr}")
    return f"{res.stdout.strip().splitlines()[-1]},{ROOT}"


def quote_literal(text):
    return "'" + text.replace("'", "''") + "'"


def psql(db, query):
    """Run ``query`` with psql on ``db``: its output, or None when it failed."""
    res = subprocess.run(["psql", "-X", "-q", "-d", db, "-tAc", query], check=False, text=True, capture_output=True)
    return res.stdout.strip() if res.returncode == 0 else None


def db_exists(db):
    res = subprocess.run(
        ["psql", "-X", "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = {quote_literal(db)}"],
        check=False,
        text=True,
        capture_output=True,
    )
    if res.returncode:
        die(f"cannot connect to PostgreSQL (is it running? see scripts/lib.sh):\n{res.stderr}")
    return res.stdout.strip() == "1"


def config_param(db, key):
    return psql(db, f"SELECT value FROM ir_config_parameter WHERE key = {quote_literal(key)}") or None


def create_database(db, addons):
    info(f"creating database '{db}' with logistics_crm (no demo data); this takes a minute or two")
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    res = run_odoo_python(
        "import odoo.cli, sys; sys.argv[0] = 'odoo'; odoo.cli.main()",
        f"--addons-path={addons}",
        "--database",
        db,
        "--init",
        "logistics_crm",
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
        capture=False,
    )
    if res.returncode:
        die(f"installing logistics_crm in '{db}' failed")
    # mark the database as created by this script, which may then drop it
    ok = psql(
        db,
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
        f"VALUES ({quote_literal(CREATED_KEY)}, '1', now(), now())",
    )
    if ok is None:
        die(f"cannot mark '{db}' as a benchmark database")


def module_version():
    """The commit of the module that is measured, and whether it has local changes."""
    res = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], check=False, text=True, capture_output=True
    )
    if res.returncode:
        return f"{ROOT} (not a git work tree)"
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "logistics_crm"],
        check=False,
        text=True,
        capture_output=True,
    ).stdout.strip()
    changes = f", plus uncommitted changes in {len(dirty.splitlines())} file(s)" if dirty else ""
    return f"{ROOT} at {res.stdout.strip()}{changes}"


# --------------------------------------------------------------------------- fill

FILL_PARTNERS_SQL = """
SELECT setseed(0.42);
WITH src AS (
    SELECT nextval('res_partner_id_seq') AS id, g AS idx
      FROM generate_series(1, %(customers)s) g
), typed AS (
    SELECT id, idx,
           CASE WHEN idx %% 20 < 10 THEN 'enterprise'
                WHEN idx %% 20 < 17 THEN 'individual'
                ELSE 'government' END AS ctype
      FROM src
)
INSERT INTO res_partner (
    id, commercial_partner_id, name, complete_name, ref, type, active, is_company,
    lang, autopost_bills, customer_rank, supplier_rank, partner_share, industry_id,
    logistics_customer_type, logistics_region_tier, logistics_credit_status, logistics_size,
    create_uid, write_uid, create_date, write_date
)
SELECT id, id,
       'Bench Customer ' || lpad(idx::text, 6, '0'),
       'Bench Customer ' || lpad(idx::text, 6, '0'),
       %(ref_prefix)s || lpad(idx::text, 6, '0'),
       'contact', TRUE, ctype <> 'individual',
       'en_US', 'ask', 1, 0, TRUE,
       CASE WHEN ctype = 'enterprise' AND cardinality(%(industries)s::int[]) > 0
            THEN (%(industries)s::int[])[1 + idx %% cardinality(%(industries)s::int[])] END,
       ctype,
       (ARRAY['tier_1', 'tier_2', 'tier_3', 'rural'])[1 + idx %% 4],
       -- company-dependent (jsonb keyed by company id): in each company 10%% poor,
       -- 2%% blocked, 8%% watch (not the same customers in both), the rest
       -- nothing, which reads as good (the ir.default fallback)
       NULLIF(jsonb_strip_nulls(jsonb_build_object(
           %(company1)s::text, CASE WHEN idx %% 50 IN (7, 17, 27, 37, 47) THEN 'poor'
                                    WHEN idx %% 50 = 13 THEN 'blocked'
                                    WHEN idx %% 50 IN (3, 23, 33, 43) THEN 'watch' END,
           %(company2)s::text, CASE WHEN (idx + 1) %% 50 IN (7, 17, 27, 37, 47) THEN 'poor'
                                    WHEN (idx + 1) %% 50 = 13 THEN 'blocked'
                                    WHEN (idx + 1) %% 50 IN (3, 23, 33, 43) THEN 'watch' END
       )), '{}'::jsonb),
       -- the size of a government customer is set by hand, in each company
       CASE WHEN ctype = 'government'
            THEN jsonb_build_object(%(company1)s::text, (ARRAY['national', 'provincial', 'city'])[1 + idx %% 3],
                                    %(company2)s::text, (ARRAY['national', 'provincial', 'city'])[1 + idx %% 3])
       END,
       %(uid)s, %(uid)s,
       now() AT TIME ZONE 'UTC' - interval '1 day', now() AT TIME ZONE 'UTC' - interval '1 day'
  FROM typed
"""

# Orders go to customers at random, about orders/customers each, dated
# uniformly over the last --days days, one in two in each company (in the
# company's currency, at rate 1). The amount of an order scales with a spend
# tier of its customer, so that with ~4.5 orders per company in the 365-day
# window the grades land about 5% A (>= 500k), 15% B (>= 100k), 25% C (>= 10k),
# 55% D in each company (before credit demotion), with customers near every
# threshold.
FILL_ORDERS_SQL = """
SELECT setseed(0.24);
WITH customers AS (
    SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS idx
      FROM res_partner
     WHERE ref LIKE %(ref_like)s
), orders AS (
    SELECT g,
           floor(random() * %(customers)s)::int AS cidx,
           random() AS r_amount,
           random() AS r_date
      FROM generate_series(1, %(orders)s) g
), placed AS (
    SELECT o.g, c.id AS partner_id,
           (CASE WHEN c.idx %% 20 = 0 THEN 180000
                 WHEN c.idx %% 20 < 4 THEN 44000
                 WHEN c.idx %% 20 < 10 THEN 5000
                 ELSE 500 END * (0.4 + 1.2 * o.r_amount))::numeric(16, 2) AS amount,
           now() AT TIME ZONE 'UTC' - (o.r_date * %(days)s) * interval '1 day' AS date_order
      FROM orders o
      JOIN customers c ON c.idx = o.cidx
)
INSERT INTO sale_order (
    name, partner_id, partner_invoice_id, partner_shipping_id, company_id, currency_id,
    pricelist_id, user_id, team_id, warehouse_id, picking_policy, state, invoice_status,
    date_order, currency_rate, amount_untaxed, amount_tax, amount_total, locked,
    require_signature, require_payment, prepayment_percent,
    create_uid, write_uid, create_date, write_date
)
SELECT %(order_prefix)s || lpad(g::text, 7, '0'), partner_id, partner_id, partner_id,
       (%(companies)s::int[])[1 + g %% 2], (%(currencies)s::int[])[1 + g %% 2],
       (%(pricelists)s::int[])[1 + g %% 2], %(salesman)s, (%(teams)s::int[])[1 + g %% 2],
       (%(warehouses)s::int[])[1 + g %% 2],
       'direct', 'sale', 'no',
       date_order, 1, amount, 0, amount, FALSE,
       FALSE, FALSE, 1.0,
       %(uid)s, %(uid)s, date_order, date_order
  FROM placed
"""

# The figures, grades, grading date and override are company-dependent: one
# jsonb column each, keyed by company id. NULL resets them in every company.
# The government sizes (set by hand) and the credit statuses are kept.
RESET_SQL = """
DELETE FROM logistics_grade_history WHERE partner_id = ANY(%(ids)s);
DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%(ids)s);
UPDATE res_partner
   SET logistics_annual_spend = NULL, logistics_monthly_orders = NULL,
       logistics_grade_computed = NULL, logistics_grade_rule_id = NULL,
       logistics_grade_credit_demoted = NULL, logistics_grade = NULL,
       logistics_grade_override = NULL, logistics_grade_override_reason = NULL,
       logistics_grade_date = NULL,
       logistics_size = CASE WHEN logistics_customer_type = 'government' THEN logistics_size END,
       write_date = now() AT TIME ZONE 'UTC' - interval '1 day'
 WHERE id = ANY(%(ids)s);
-- The figures cover the orders of the 365 days up to now(): an order leaving
-- that window between the two recomputes would change a figure for real. Make
-- the orders that would leave it in the next GUARD hours GUARD hours younger.
UPDATE sale_order
   SET date_order = date_order + %(guard)s * interval '1 hour'
 WHERE name LIKE %(order_like)s
   AND date_order >= now() AT TIME ZONE 'UTC' - %(window)s * interval '1 day'
   AND date_order < now() AT TIME ZONE 'UTC' - %(window)s * interval '1 day' + %(guard)s * interval '1 hour';
"""


def second_company(env, create=False):
    """The second company of the benchmark (found by name), created through the
    ORM when ``create``: in EUR (activated), or in USD when the first company's
    currency is EUR."""
    company = env["res.company"].search([("name", "=", COMPANY2_NAME)], limit=1)
    if company or not create:
        return company
    first = env.ref("base.main_company")
    currency = env.ref("base.EUR") if first.currency_id != env.ref("base.EUR") else env.ref("base.USD")
    currency.active = True
    company = env["res.company"].create({"name": COMPANY2_NAME, "currency_id": currency.id})
    env.flush_all()
    return company


def fill(env, customers, orders, days):
    """Create the second company, then insert the customers and their orders
    with two INSERT ... SELECT."""
    cr = env.cr
    t0 = time.perf_counter()
    companies = env.ref("base.main_company") | second_company(env, create=True)
    info(f"created the company '{COMPANY2_NAME}' in {time.perf_counter() - t0:.1f} s")

    def per_company(model, domain):
        return [(env[model].search(domain(company), limit=1)).id or None for company in companies]

    industries = env["res.partner.industry"].search([]).ids
    admin = env.ref("base.user_admin")
    env.flush_all()
    t0 = time.perf_counter()
    cr.execute(
        FILL_PARTNERS_SQL,
        {
            "customers": customers,
            "ref_prefix": REF_PREFIX,
            "industries": industries,
            "uid": admin.id,
            "company1": companies[0].id,
            "company2": companies[1].id,
        },
    )
    cr.execute(
        FILL_ORDERS_SQL,
        {
            "customers": customers,
            "orders": orders,
            "days": days,
            "ref_like": REF_PREFIX + "%",
            "order_prefix": ORDER_PREFIX,
            "companies": companies.ids,
            "currencies": [company.currency_id.id for company in companies],
            "pricelists": per_company("product.pricelist", lambda c: [("company_id", "in", [c.id, False])]),
            "teams": per_company("crm.team", lambda c: [("company_id", "in", [c.id, False])]),
            "warehouses": per_company("stock.warehouse", lambda c: [("company_id", "=", c.id)]),
            "salesman": admin.id,
            "uid": admin.id,
        },
    )
    env["ir.config_parameter"].set_param(FILL_KEY, json.dumps(fill_marker(customers, orders, days)))
    env.flush_all()
    cr.commit()
    env.invalidate_all()  # the ORM knows nothing of what was inserted behind its back
    info(f"filled {customers} customers and {orders} orders in {time.perf_counter() - t0:.1f} s")


def fill_marker(customers, orders, days):
    return {"version": FILL_VERSION, "customers": customers, "orders": orders, "days": days}


def reset(env, ids):
    """Put the benchmark customers back in their state before any grading."""
    from odoo.addons.logistics_crm.tools.grading import WINDOW_DAYS

    env.flush_all()
    env.cr.execute(
        RESET_SQL, {"ids": ids, "order_like": ORDER_PREFIX + "%", "window": WINDOW_DAYS, "guard": GUARD_HOURS}
    )
    env.cr.commit()
    env.invalidate_all()


def vacuum_analyze(db):
    """VACUUM ANALYZE the tables involved (outside of any transaction), so that
    the planner knows the fill and every run starts alike."""
    tables = "res_partner, sale_order, logistics_grade_history, mail_message, mail_tracking_value"
    if psql(db, f"VACUUM ANALYZE {tables}") is None:
        die(f"VACUUM ANALYZE {tables} failed in '{db}'")


# --------------------------------------------------------------------------- measurement


class QueryCounter:
    """Count and time the SQL statements sent on one cursor, by kind (SELECT,
    INSERT...) and by statement shape (their first 150 characters)."""

    def __init__(self, cr):
        self.counts = collections.Counter()
        self.shapes = collections.Counter()
        self.seconds = collections.Counter()
        original = cr.execute

        def execute(query, params=None, log_exceptions=True):
            text = " ".join((query.code if hasattr(query, "code") else str(query)).split())
            shape = text[:150]
            t0 = time.perf_counter()
            try:
                return original(query, params, log_exceptions)
            finally:
                self.seconds[shape] += time.perf_counter() - t0
                self.shapes[shape] += 1
                self.counts[text.split(" ", 1)[0].upper() if text else "?"] += 1

        cr.execute = execute

    def snapshot(self):
        return collections.Counter(self.counts), collections.Counter(self.shapes), collections.Counter(self.seconds)

    def kinds_since(self, snap):
        return dict(self.counts - snap[0])

    def seconds_since(self, snap):
        return sum(self.seconds.values()) - sum(snap[2].values())

    def top_since(self, snap, top=12):
        seconds = self.seconds - snap[2]
        shapes = self.shapes - snap[1]
        return [(shape, shapes[shape], seconds[shape]) for shape, _s in seconds.most_common(top)]


def load():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def company_label(company):
    return f"{company.name} ({company.currency_id.name})"


def plain_aggregate(env, ids, companies):
    """Time the plain SQL aggregate of the sales figures of all the customers
    in all the companies at once, AGGREGATE_RUNS times; return (timings,
    {company id: rows}).

    It is the same aggregate as the module's
    (logistics.grading._sales_figures_sql, one query per company and batch of
    customers), written as the fastest single query over every customer and
    every company: one hash join of all orders with all partners, grouped by
    company and customer. The module selects the orders of a batch of 1,000
    partners in one company through the index on sale_order.partner_id
    instead, which is faster per batch but slower than this for all the
    customers of both companies at once: this is the lower bound.
    """
    from odoo import fields

    from odoo.addons.logistics_crm.tools.grading import WINDOW_DAYS

    since = fields.Datetime.now() - timedelta(days=WINDOW_DAYS)
    timings = []
    for _run in range(AGGREGATE_RUNS):
        t0 = time.perf_counter()
        env.cr.execute(
            """
            SELECT so.company_id,
                   partner.commercial_partner_id,
                   SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)),
                   COUNT(so.id)
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.company_id = ANY(%s)
               AND so.date_order >= %s
               AND partner.commercial_partner_id = ANY(%s)
          GROUP BY so.company_id, partner.commercial_partner_id
            """,
            [companies.ids, since, ids],
        )
        rows = env.cr.fetchall()
        timings.append(time.perf_counter() - t0)
    return timings, collections.Counter(row[0] for row in rows)


def count_trail(cr, ids):
    """Return (grade history entries, chatter messages, {tracked field: tracking
    values}) of the customers ``ids``, in every company."""
    cr.execute("SELECT count(*) FROM logistics_grade_history WHERE partner_id = ANY(%s)", [ids])
    history = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)", [ids])
    messages = cr.fetchone()[0]
    cr.execute(
        """SELECT f.name, count(*)
             FROM mail_tracking_value v
             JOIN mail_message m ON m.id = v.mail_message_id
             JOIN ir_model_fields f ON f.id = v.field_id
            WHERE m.model = 'res.partner' AND m.res_id = ANY(%s)
         GROUP BY f.name""",
        [ids],
    )
    return history, messages, dict(cr.fetchall())


def history_by_company(cr, ids):
    cr.execute(
        "SELECT company_id, count(*) FROM logistics_grade_history WHERE partner_id = ANY(%s) GROUP BY company_id",
        [ids],
    )
    return collections.Counter(dict(cr.fetchall()))


def trail_delta(before, after):
    tracking = {k: v - before[2].get(k, 0) for k, v in after[2].items() if v - before[2].get(k, 0)}
    return after[0] - before[0], after[1] - before[1], tracking


# The company-dependent figures, size and grades: jsonb columns keyed by
# company id, so that the checksum covers every company.
STATE_COLUMNS = (
    "logistics_annual_spend",
    "logistics_monthly_orders",
    "logistics_grade_computed",
    "logistics_grade_rule_id",
    "logistics_grade_credit_demoted",
    "logistics_grade",
    "logistics_grade_override",
    "logistics_size",
)


def partner_checksum(cr, ids, dates=True):
    """The checksum of the figures, sizes and grades of the customers ``ids``
    in every company, with (``dates``) their grading dates and write_date."""
    columns = ["id", *STATE_COLUMNS, *(("logistics_grade_date", "write_date") if dates else ())]
    cr.execute(
        f"""SELECT md5(string_agg(concat_ws('|', {", ".join(columns)}), ',' ORDER BY id))
              FROM res_partner WHERE id = ANY(%s)""",
        [ids],
    )
    return cr.fetchone()[0]


def grades_in(cr, ids, company):
    """({grade: customers}, customers lowered for credit) of ``ids`` in ``company``."""
    key = str(company.id)
    cr.execute("SELECT logistics_grade->>%s, count(*) FROM res_partner WHERE id = ANY(%s) GROUP BY 1", [key, ids])
    grades = dict(cr.fetchall())
    cr.execute(
        "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND (logistics_grade_credit_demoted->>%s)::boolean",
        [ids, key],
    )
    return grades, cr.fetchone()[0]


class Measure:
    """Wall and CPU time of this process, SQL statements and time in execute()
    of a block; with --profile and --queries, the profile and the costliest
    statements of the block, printed at its end."""

    def __init__(self, counter, label, args):
        self.counter = counter
        self.label = label
        self.args = args

    def __enter__(self):
        self.snap = self.counter.snapshot()
        self.profiler = cProfile.Profile() if self.args.profile else None
        self.cpu0 = time.process_time()
        self.t0 = time.perf_counter()
        if self.profiler:
            self.profiler.enable()
        return self

    def __exit__(self, *exc):
        if self.profiler:
            self.profiler.disable()
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.cpu0
        self.sql = self.counter.seconds_since(self.snap)
        self.kinds = self.counter.kinds_since(self.snap)
        if exc[0]:
            return False
        if self.profiler:
            os.makedirs(self.args.profile, exist_ok=True)
            path = os.path.join(self.args.profile, f"{self.label}.prof")
            self.profiler.dump_stats(path)
            out = io.StringIO()
            pstats.Stats(self.profiler, stream=out).sort_stats("cumulative").print_stats(45)
            print(f"    --- cProfile of the {self.label} recompute ({path}), top 45 by cumulative time ---")
            print("\n".join("    " + line for line in out.getvalue().strip().splitlines()[3:]))
        if self.args.queries:
            print(
                f"    --- SQL of the {self.label} recompute: {self.sql:.2f} s in execute(), "
                "by statement (top by time) ---"
            )
            for shape, count, seconds in self.counter.top_since(self.snap):
                print(f"    {seconds:7.2f} s {count:6d}x  {shape}")
        return False

    def timing(self):
        return f"{self.wall:.2f} s (this process's CPU {self.cpu:.2f} s, in SQL execute() {self.sql:.2f} s); {load()}"


def full_recompute(env, ids, companies, counter, label, args):
    """Grade every customer in every company, company after company, in
    batches of BATCH_SIZE through logistics.grading._grade(partners, company),
    committing each batch as the nightly cron does (a commit also empties the
    ORM cache). Return the Measure, with the wall time by company id."""
    Grading = env["logistics.grading"]
    Partner = env["res.partner"]
    by_company = {}
    with Measure(counter, label, args) as measured:
        for company in companies:
            t0 = time.perf_counter()
            for start in range(0, len(ids), BATCH_SIZE):
                Grading._grade(Partner.browse(ids[start : start + BATCH_SIZE]), company)
                env.cr.commit()
            by_company[company.id] = time.perf_counter() - t0
    measured.by_company = by_company
    return measured


# --------------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="logistics_crm_bench", help="scratch database (default: %(default)s)")
    parser.add_argument("--customers", type=int, default=20000, help="customers (default: %(default)s)")
    parser.add_argument(
        "--orders",
        type=int,
        default=200000,
        help="confirmed sale orders, one in two in each company (default: %(default)s)",
    )
    parser.add_argument(
        "--days", type=int, default=400, help="orders dated over the last N days (default: %(default)s)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the database when it already holds a fill of this size (else it is created again)",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="profile every recompute with cProfile: print the top functions, save DIR/first.prof, "
        "DIR/no-change-1.prof... and DIR/cron.prof (the timings are then inflated by the profiler)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="no-change recomputes to run, the best one counts (default: %(default)s)",
    )
    parser.add_argument("--queries", action="store_true", help="print the costliest SQL statements of each recompute")
    parser.add_argument("--no-cron", action="store_true", help="do not time the nightly cron (_cron_grade)")
    args = parser.parse_args()
    if args.customers < 1 or args.orders < 0 or args.days < 1 or args.repeat < 1:
        die("--customers, --days and --repeat must be positive, --orders not negative")
    return args


def prepare_database(args, addons, fill_key=FILL_KEY, wanted=None, fill_when_empty=False):
    """Create the database unless --keep and it holds the fill ``wanted``
    (this script's by default), recorded under ``fill_key``; return whether
    it must be filled. ``fill_when_empty``: a benchmark database holding no
    such fill yet is filled as it is (another benchmark's database)."""
    if wanted is None:
        wanted = fill_marker(args.customers, args.orders, args.days)
    if db_exists(args.db):
        if not config_param(args.db, CREATED_KEY):
            die(
                f"database '{args.db}' exists and was not created by a benchmark: "
                f"drop it yourself (dropdb {args.db}) or choose another --db"
            )
        fill_done = config_param(args.db, fill_key)
        if args.keep and fill_done and json.loads(fill_done) == wanted:
            info(f"reusing the fill of '{args.db}'")
            return False
        if args.keep and fill_when_empty and not fill_done:
            info(f"'{args.db}' holds no such fill yet: filling it")
            return True
        if args.keep:
            info(f"'{args.db}' holds no fill of {wanted}: creating it again")
    create_database(args.db, addons)
    return True


def open_registry(db, addons):
    """Odoo configured for ``db`` in this process, and its registry."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["--addons-path", addons, "--database", db, "--log-level", "warn"], setup_logging=True)
    registry = Registry(db)
    print(f"Odoo {odoo.release.version}, database {db}, {os.cpu_count()} CPUs")
    print(f"module: {module_version()}")
    return registry


def main():
    args = parse_args()
    addons = addons_path()
    must_fill = prepare_database(args, addons)

    from odoo import SUPERUSER_ID, api

    registry = open_registry(args.db, addons)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if must_fill:
            fill(env, args.customers, args.orders, args.days)
        companies = env.ref("base.main_company") | second_company(env)
        if len(companies) != 2:
            die(f"the second company '{COMPANY2_NAME}' is missing in '{args.db}'")
        company_ids = companies.ids
        cr.execute("SELECT id FROM res_partner WHERE ref LIKE %s ORDER BY id", [REF_PREFIX + "%"])
        ids = [row[0] for row in cr.fetchall()]
        if len(ids) != args.customers:
            die(f"expected {args.customers} benchmark customers in '{args.db}', found {len(ids)}")
        reset(env, ids)
    vacuum_analyze(args.db)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return measure(env, ids, env["res.company"].browse(company_ids), args)


def measure(env, ids, companies, args):
    cr = env.cr
    counter = QueryCounter(cr)
    cr.execute(
        "SELECT company_id, count(*) FROM sale_order WHERE state = 'sale' AND name LIKE %s GROUP BY company_id",
        [ORDER_PREFIX + "%"],
    )
    orders = dict(cr.fetchall())
    cr.execute("SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND company_id IS NOT NULL", [ids])
    owned = cr.fetchone()[0]
    print(
        f"{len(ids)} customers ({owned} with a company of their own), shared by {len(companies)} companies: "
        + ", ".join(f"{company_label(company)} with {orders.get(company.id, 0)}" for company in companies)
        + f" confirmed sale orders over the last {args.days} days"
    )
    print(f"start: {load()}")
    print()

    # (1) the plain SQL aggregate, all customers of all companies at once
    agg_timings, agg_rows = plain_aggregate(env, ids, companies)
    print(
        f"(1) plain SQL aggregate of the figures of all customers in both companies, one query grouped by company "
        f"and customer ({sum(agg_rows.values())} rows: "
        + ", ".join(f"{agg_rows[company.id]} in {company.name}" for company in companies)
        + f"), {AGGREGATE_RUNS} runs: min {min(agg_timings):.3f} s, median {statistics.median(agg_timings):.3f} s, "
        f"max {max(agg_timings):.3f} s; {load()}"
    )

    # (2) first full recompute: every customer gets a grade in each company
    first = first_recompute(env, ids, companies, counter, args)

    # (3) full recomputes in which nothing changes, so nothing may be written
    nochange = [nochange_recompute(env, ids, companies, counter, args, run) for run in range(1, args.repeat + 1)]
    agg_timings2, _rows = plain_aggregate(env, ids, companies)
    agg_timings += agg_timings2
    agg = min(agg_timings)
    best = min(run["wall"] for run in nochange)
    print(
        f"(1) again after (3), {AGGREGATE_RUNS} runs: min {min(agg_timings2):.3f} s, median "
        f"{statistics.median(agg_timings2):.3f} s; the lower bound is the best of all {len(agg_timings)}: "
        f"{agg:.3f} s"
    )
    print(
        f"best no-change recompute: {best:.2f} s = {best / agg:.1f}x the aggregate; first recompute: "
        f"{first['wall']:.2f} s = {first['wall'] / agg:.0f}x the aggregate"
    )

    # (4) the nightly cron on unchanged figures
    cron = None if args.no_cron else cron_recompute(env, ids, companies, counter, args, agg)
    print()

    gradings = len(ids) * len(companies)
    writes = [
        f"run {run['run']}: new write_date {run['rewritten']}, new history/messages/tracking "
        f"{run['created'][0]}/{run['created'][1]}/{sum(run['created'][2].values())}, "
        f"INSERT/UPDATE/DELETE {run['writes'] or 'none'}"
        for run in nochange
    ]
    per_company = "; ".join(
        f"{company.name}: {first['graded'][company.id]} graded, {first['history'][company.id]} history entries"
        for company in companies
    )
    checks = [
        (
            "every grade A, B, C and D occurs in each company after the first recompute",
            all(first["grades"][company.id].get(g) for company in companies for g in "ABCD"),
        ),
        (
            (
                f"the first recompute graded every customer in each company ({gradings} gradings) and logged each "
                f"new grade in the history of that company ({per_company}), with no chatter note for these shared "
                f"customers ({first['messages']} messages, {first['tracking']} tracking values)"
            ),
            all(first["graded"][c.id] == first["history"][c.id] == len(ids) for c in companies)
            and first["history_total"] == gradings
            and first["messages"] == first["tracking"] == 0,
        ),
        (
            f"full recompute of both companies < {FULL_TARGET_S:.0f} s: {first['wall']:.2f} s",
            first["wall"] < FULL_TARGET_S,
        ),
        (
            (
                f"no-change recompute of both companies within {NOCHANGE_TARGET_RATIO:.0f}x the plain aggregate: "
                f"best {best:.2f} s vs {NOCHANGE_TARGET_RATIO:.0f} x {agg:.3f} s = {NOCHANGE_TARGET_RATIO * agg:.3f} s"
            ),
            best <= NOCHANGE_TARGET_RATIO * agg,
        ),
        (
            f"no-change recompute wrote nothing ({'; '.join(writes)})",
            all(run["wrote_nothing"] for run in nochange),
        ),
    ]
    if cron:
        checks.append(
            (
                (
                    f"the nightly cron ({cron['calls']} calls, {cron['done']} gradings, {cron['wall']:.2f} s, no "
                    f"target) dated every customer in each company ("
                    + ", ".join(f"{company.name}: {cron['dated'][company.id]}" for company in companies)
                    + f") and changed no figure or grade (new history/messages/tracking {cron['created'][0]}/"
                    f"{cron['created'][1]}/{sum(cron['created'][2].values())}, figures and grades unchanged: "
                    f"{cron['unchanged']})"
                ),
                cron["ok"],
            )
        )
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    print(f"end: {load()}")
    return 0 if all(ok for _label, ok in checks) else 1


def first_recompute(env, ids, companies, counter, args):
    cr = env.cr
    trail0 = count_trail(cr, ids)
    history0 = history_by_company(cr, ids)
    measured = full_recompute(env, ids, companies, counter, "first", args)
    history_total, messages, tracking = trail_delta(trail0, count_trail(cr, ids))
    history = history_by_company(cr, ids) - history0
    batches = -(-len(ids) // BATCH_SIZE)
    print(
        f"(2) first full recompute of {len(companies)} companies, {batches} batches of up to {BATCH_SIZE} per "
        f"company, each committed: {measured.timing()}"
    )
    print("    by company: " + ", ".join(f"{c.name} {measured.by_company[c.id]:.2f} s" for c in companies))
    print(
        f"    created {history_total} grade history entries ("
        + ", ".join(f"{history[c.id]} in {c.name}" for c in companies)
        + f"), {messages} chatter messages; tracking values by field: {tracking or 'none'}"
    )
    grades, graded = {}, {}
    for company in companies:
        grades[company.id], demoted = grades_in(cr, ids, company)
        graded[company.id] = sum(n for grade, n in grades[company.id].items() if grade)
        print(
            f"    grades in {company.name}: "
            + ", ".join(
                f"{grade or 'none'} {n}" for grade, n in sorted(grades[company.id].items(), key=lambda kv: kv[0] or "~")
            )
            + f" ({demoted} lowered one step for credit)"
        )
    print(f"    SQL statements: {measured.kinds}")
    return {
        "wall": measured.wall,
        "grades": grades,
        "graded": graded,
        "history": history,
        "history_total": history_total,
        "messages": messages,
        "tracking": sum(tracking.values()),
    }


def nochange_recompute(env, ids, companies, counter, args, run):
    cr = env.cr
    trail0 = count_trail(cr, ids)
    checksum0 = partner_checksum(cr, ids)
    cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    t_before = cr.fetchone()[0]
    cr.commit()  # the recompute's transactions start later: what it writes gets a later write_date
    measured = full_recompute(env, ids, companies, counter, f"no-change-{run}", args)
    created = trail_delta(trail0, count_trail(cr, ids))
    cr.execute("SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND write_date >= %s", [ids, t_before])
    rewritten = cr.fetchone()[0]
    unchanged = partner_checksum(cr, ids) == checksum0
    writes = {kind: n for kind, n in measured.kinds.items() if kind in ("INSERT", "UPDATE", "DELETE")}
    print(f"(3) no-change full recompute #{run} of {len(companies)} companies: {measured.timing()}")
    print(
        "    by company: "
        + ", ".join(f"{c.name} {measured.by_company[c.id]:.2f} s" for c in companies)
        + f"; customers with a new write_date: {rewritten}; created (history, messages, tracking): {created}; "
        f"figures and grades unchanged: {unchanged}; SQL statements: {measured.kinds}"
    )
    return {
        "run": run,
        "wall": measured.wall,
        "rewritten": rewritten,
        "created": created,
        "writes": writes,
        "wrote_nothing": not rewritten and created == (0, 0, {}) and unchanged and not writes,
    }


def cron_recompute(env, ids, companies, counter, args, agg):
    """Run the nightly grading as the cron framework does: call
    logistics.grading._cron_grade(BATCH_SIZE), commit, and call again while
    it graded a full batch (a call that grades less has found nothing more
    to do in any company). The grades are already up to date: it only writes
    the grading dates. Their reset (to none) is not timed."""

    cr = env.cr
    cr.execute("UPDATE res_partner SET logistics_grade_date = NULL WHERE id = ANY(%s)", [ids])
    cr.commit()
    env.invalidate_all()
    trail0 = count_trail(cr, ids)
    checksum0 = partner_checksum(cr, ids, dates=False)
    Grading = env["logistics.grading"]
    today = Grading._today()
    max_calls = len(companies) * (len(ids) // BATCH_SIZE + 1) + 10  # a few other customers of the database
    calls = done = 0
    with Measure(counter, "cron", args) as measured:
        while calls < max_calls:
            graded = Grading._cron_grade(batch_size=BATCH_SIZE)
            cr.commit()
            calls += 1
            done += graded
            if graded < BATCH_SIZE:
                break
    created = trail_delta(trail0, count_trail(cr, ids))
    unchanged = partner_checksum(cr, ids, dates=False) == checksum0
    dated = {}
    for company in companies:
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND (logistics_grade_date->>%s)::date = %s",
            [ids, str(company.id), today],
        )
        dated[company.id] = cr.fetchone()[0]
    print(
        f"(4) nightly cron, _cron_grade({BATCH_SIZE}) called {calls} times (each committed), {done} gradings, "
        f"figures unchanged (it writes the grading dates): {measured.timing()}"
    )
    print(
        f"    = {measured.wall / agg:.1f}x the aggregate; customers dated today: "
        + ", ".join(f"{dated[c.id]} in {c.name}" for c in companies)
        + f"; created (history, messages, tracking): {created}; figures and grades unchanged: {unchanged}; "
        f"SQL statements: {measured.kinds}"
    )
    return {
        "wall": measured.wall,
        "calls": calls,
        "done": done,
        "dated": dated,
        "created": created,
        "unchanged": unchanged,
        "ok": calls < max_calls and all(n == len(ids) for n in dated.values()) and created == (0, 0, {}) and unchanged,
    }


if __name__ == "__main__":
    sys.exit(main())
