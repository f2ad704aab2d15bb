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

# The major version of Odoo that the interpreter $1 imports, or nothing.
odoo_major() {
    (cd /tmp && "$1" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null) || true
}

# Odoo 18 for $PYTHON: the one it imports; else the one of $ROOT/.venv; else
# Odoo 18.0 Community installed into $ROOT/.venv (ignored by git), from
# $ODOO_SOURCE (a directory holding Odoo 18.0's source, or a .tar.gz of it)
# or from Odoo's official 18.0 nightly source archive. PYTHON then names the
# interpreter that has it.
require_odoo() {
    local version
    version=$(odoo_major "$PYTHON")
    if [ "$version" = 18 ]; then
        ensure_module_requirements
        return
    fi
    if [ -n "$version" ] && [ -z "${ODOO_SOURCE:-}" ]; then
        die "'$PYTHON' imports Odoo $version; logistics_crm needs Odoo 18.0 (set PYTHON to an interpreter with Odoo 18, or ODOO_SOURCE to Odoo 18.0's source to install it into .venv)"
    fi
    if [ -x "$ROOT/.venv/bin/python" ] && [ "$(odoo_major "$ROOT/.venv/bin/python")" = 18 ]; then
        PYTHON=$ROOT/.venv/bin/python
        ensure_module_requirements
        return
    fi
    info "Odoo 18 is not importable by '$PYTHON': setting it up in $ROOT/.venv (once; later runs reuse it)"
    install_odoo_venv
    PYTHON=$ROOT/.venv/bin/python
    [ "$(odoo_major "$PYTHON")" = 18 ] || die "Odoo was installed into .venv but '$PYTHON' cannot import Odoo 18"
    info "Odoo 18 installed in $ROOT/.venv"
    ensure_module_requirements
}

# The Python packages logistics_crm needs at run time (requirements.txt),
# from PyPI, for $PYTHON, when one of them is missing.
ensure_module_requirements() {
    if ! (cd /tmp && "$PYTHON" - "$ROOT/requirements.txt" <<'PY' 2>/dev/null
import importlib.metadata
import sys

for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if line:
        importlib.metadata.version(line.split("==")[0])
PY
    ); then
        info "installing logistics_crm's Python requirements from PyPI (requirements.txt)"
        "$PYTHON" -m pip install -q -r "$ROOT/requirements.txt" || die "pip install -r requirements.txt failed"
    fi
}

ODOO_NIGHTLY_URL=${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}

# Debian/Ubuntu packages that Odoo's Python requirements build against, and
# what Odoo runs with (PostgreSQL itself: see ensure_postgres).
install_build_packages() {
    command -v apt-get >/dev/null 2>&1 || {
        info "no apt-get here: make sure Python's venv module and headers, a C compiler and the libpq, LDAP, SASL, XML, JPEG and zlib headers are installed"
        return
    }
    local packages=(python3-venv python3-dev build-essential libpq-dev libldap2-dev libsasl2-dev
        libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev libffi-dev wkhtmltopdf)
    local missing=()
    local package
    for package in "${packages[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    info "installing from Debian's packages: ${missing[*]}"
    as_root apt-get update -q >/dev/null || die "apt-get update failed (no network? install these packages by hand: ${missing[*]})"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}" >/dev/null \
        || die "could not install ${missing[*]} (apt-get install)"
}

# The directory of Odoo 18.0's source to install: $ODOO_SOURCE (a directory
# or a .tar.gz), else the nightly archive, downloaded and extracted under .venv.
odoo_source_dir() {
    local src=${ODOO_SOURCE:-} archive dir
    if [ -n "$src" ] && [ -d "$src" ]; then
        printf '%s\n' "$(cd "$src" && pwd)"
        return
    fi
    mkdir -p "$ROOT/.venv/src"
    if [ -n "$src" ]; then
        [ -f "$src" ] || die "ODOO_SOURCE='$src' is neither a directory nor a file"
        archive=$src
    else
        archive=$ROOT/.venv/src/odoo_18.0.latest.tar.gz
        info "downloading Odoo 18.0's source from $ODOO_NIGHTLY_URL" >&2
        curl -fL --progress-bar --connect-timeout 30 -o "$archive.part" "$ODOO_NIGHTLY_URL" \
            || die "could not download $ODOO_NIGHTLY_URL (no network? set ODOO_SOURCE to a directory holding Odoo 18.0's source, or to a .tar.gz of it)"
        mv "$archive.part" "$archive"
    fi
    info "extracting $archive" >&2
    dir=$ROOT/.venv/src/odoo
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf "$archive" -C "$dir" --strip-components=1 || die "could not extract $archive (a .tar.gz of Odoo 18.0's source is expected)"
    printf '%s\n' "$dir"
}

install_odoo_venv() {
    install_build_packages
    local src
    src=$(odoo_source_dir)
    [ -f "$src/odoo/release.py" ] && [ -f "$src/requirements.txt" ] \
        || die "'$src' does not hold Odoo's source (odoo/release.py, requirements.txt)"
    grep -Eq "^version_info = \(18, 0," "$src/odoo/release.py" \
        || die "'$src' is not Odoo 18.0 ($(grep -E '^version_info' "$src/odoo/release.py"))"
    info "creating the virtual environment $ROOT/.venv with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv "$ROOT/.venv" || die "'$PYTHON -m venv' failed (install python3-venv)"
    local pip=("$ROOT/.venv/bin/python" -m pip)
    "${pip[@]}" install -q --upgrade pip wheel setuptools || die "could not update pip in .venv"
    # Odoo's pins, with the fixes the running Python needs: cbor2 5.4.2 does
    # not build with current setuptools (5.6.2 does)
    local requirements=$ROOT/.venv/odoo-requirements.txt
    sed -e 's/^cbor2==5\.4\.2\b.*/cbor2==5.6.2/' "$src/requirements.txt" >"$requirements"
    info "installing Odoo's Python requirements into .venv (a few minutes)"
    "${pip[@]}" install -r "$requirements" || die "pip install of Odoo's requirements failed (see above)"
    # what Odoo's browser tests need and its requirements omit
    "${pip[@]}" install -q websocket-client || die "pip install websocket-client failed"
    info "installing Odoo 18.0 from $src into .venv"
    "${pip[@]}" install -q --no-deps -e "$src" || die "pip install of Odoo from $src failed"
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
    if ! (cd /tmp && "$PYTHON" -c 'import pytest_odoo, freezegun, websocket' 2>/dev/null); then
        info "installing Python test packages from PyPI"
        "$PYTHON" -m pip install -q -r "$ROOT/requirements-test.txt" || die "pip install -r requirements-test.txt failed"
    fi
}

# Install Debian's package $2 when none of the commands $1 (space-separated)
# is found; $3 says what for.
ensure_debian_package() {
    local command
    for command in $1; do
        command -v "$command" >/dev/null 2>&1 && return
    done
    command -v apt-get >/dev/null 2>&1 || die "no $2 here: install it (for $3)"
    info "installing $2 from Debian's packages (for $3)"
    as_root apt-get update -q >/dev/null || die "apt-get update failed (no network? install $2 by hand)"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$2" >/dev/null \
        || die "could not install $2 (apt-get install $2)"
}

# Chromium, for Odoo's browser tours (Debian's package).
ensure_browser() {
    ensure_debian_package "chromium chromium-browser google-chrome" chromium "the browser tours"
}

# wkhtmltopdf, with which Odoo prints its PDF reports (Debian's package).
ensure_wkhtmltopdf() {
    ensure_debian_package wkhtmltopdf wkhtmltopdf "PDF reports"
}
