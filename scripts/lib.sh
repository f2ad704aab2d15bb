# Shared helpers of scripts/demo and scripts/test (sourced, not run).
# They find Odoo through `import odoo`, make sure PostgreSQL runs and that the
# current user has a role in it, and install the Python packages the project
# needs from PyPI.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

info() {
    printf '==> %s\n' "$*" >&2
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Odoo 18 must be importable by $PYTHON; it is not on PyPI, so we never try to
# install it ourselves.
require_odoo() {
    local version
    if ! version=$(cd /tmp && "$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null); then
        cat >&2 <<MSG
error: Odoo 18.0 is not importable by '$PYTHON' ('import odoo' fails).
       logistics_crm is an Odoo 18.0 add-on and needs Odoo itself:
         - install Odoo 18.0 Community from https://www.odoo.com/page/download
           or its nightly packages (https://nightly.odoo.com/18.0/nightly/),
         - or from a source checkout: git clone -b 18.0 https://github.com/odoo/odoo
           then 'pip install -r odoo/requirements.txt && pip install -e odoo',
       then run this command again (or set PYTHON to the interpreter that has Odoo).
MSG
        exit 1
    fi
    [ "$version" = 18 ] || die "Odoo $version is installed, but logistics_crm needs Odoo 18.0."
}

# Odoo's own addons path (as its default configuration computes it) plus this
# repository, which holds the logistics_crm module.
addons_path() {
    local core
    core=$(cd /tmp && "$PYTHON" -c 'from odoo.tools import config; config.parse_config([]); print(config["addons_path"])' 2>/dev/null) \
        || die "cannot read Odoo's default addons path"
    printf '%s,%s\n' "$core" "$ROOT"
}

# Odoo's command-line entry point, whatever way Odoo was installed.
odoo_bin() {
    (cd /tmp && "$PYTHON" -c 'import odoo.cli, sys; sys.argv[0] = "odoo"; odoo.cli.main()' "$@")
}

# PostgreSQL: installed from Debian's packages if missing, started, and with a
# role for the current user (PostgreSQL refuses to run as root, Odoo refuses to
# connect as 'postgres').
ensure_postgres() {
    if [ -n "${PGHOST:-}" ] && [ "${PGHOST}" != localhost ] && [ "${PGHOST#/}" = "$PGHOST" ]; then
        info "using the PostgreSQL server at PGHOST=$PGHOST"
        return
    fi
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        info "installing PostgreSQL from Debian's packages"
        as_root apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q postgresql >/dev/null \
            || die "could not install PostgreSQL (apt-get install postgresql)"
    fi
    if ! pg_isready -q 2>/dev/null; then
        info "starting PostgreSQL"
        as_root service postgresql start >/dev/null || die "could not start PostgreSQL"
        for _ in $(seq 1 30); do
            pg_isready -q 2>/dev/null && break
            sleep 1
        done
        pg_isready -q || die "PostgreSQL did not come up"
    fi
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        info "creating the PostgreSQL role '$me'"
        as_root su postgres -c "psql -q -c \"CREATE ROLE \\\"$me\\\" LOGIN CREATEDB SUPERUSER\"" >/dev/null \
            || die "could not create the PostgreSQL role '$me'"
    fi
}

# Python packages the commands need, from PyPI (requirements-test.txt).
ensure_python_packages() {
    if ! (cd /tmp && "$PYTHON" -c 'import pytest_odoo, freezegun' 2>/dev/null); then
        info "installing Python test packages from PyPI"
        "$PYTHON" -m pip install -q -r "$ROOT/requirements-test.txt" || die "pip install -r requirements-test.txt failed"
    fi
}
