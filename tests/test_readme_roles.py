"""README.md's role table is the one rendered from the declaration of who may
do what (``logistics_crm/tests/access_matrix.py``), which the module's
``test_access_matrix`` checks row by row for every role.

Plain pytest functions: no database is needed. ``scripts/roles-table`` prints
the table to paste into README.md.
"""

from pathlib import Path

import pytest

from odoo.addons.logistics_crm.tests import access_matrix
from odoo.addons.logistics_crm.tests.access_matrix import KINDS, ROLES, ROWS, Row, allowed_roles, render_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_holds_the_role_table():
    table = render_table()
    readme = README.read_text(encoding="utf-8")
    if table not in readme:
        pytest.fail(
            "The role table of README.md (section Roles) is not the one declared in "
            "logistics_crm/tests/access_matrix.py. Paste this table (scripts/roles-table "
            f"prints it) in place of the old one:\n\n{table}",
            pytrace=False,
        )
    assert readme.count(table.splitlines()[0]) == 1, "one role table"


def test_table_rendering():
    rows = (
        Row("Nobody", "menu", ("x.nobody",), ("see",), None),
        Row("Supervisors and above", "menu", ("x.supervisor",), ("see",), "supervisor"),
        Row("Everyone", "menu", ("x.user",), ("see",), "user"),
    )
    assert render_table(rows) == (
        "| | Internal user | Specialist | Supervisor | Manager | Administrator |\n"
        "|---|:-:|:-:|:-:|:-:|:-:|\n"
        "| Nobody |  |  |  |  |  |\n"
        "| Supervisors and above |  |  | ✓ | ✓ | ✓ |\n"
        "| Everyone | ✓ | ✓ | ✓ | ✓ | ✓ |\n"
    )


def test_declaration_is_well_formed():
    assert ROLES == ("user", "specialist", "supervisor", "manager", "admin")
    assert set(access_matrix.ROLE_TITLES) == set(access_matrix.ROLE_GROUPS) == set(ROLES)
    labels = [row.label for row in ROWS]
    assert len(set(labels)) == len(labels), "one row per label"
    for row in ROWS:
        assert row.label.strip() and "|" not in row.label and "\n" not in row.label, row.label
        assert row.kind in KINDS, row
        assert row.operations and set(row.operations) <= set(KINDS[row.kind]), row
        assert row.lowest is None or row.lowest in ROLES, row
        assert row.variants and all(isinstance(groups, tuple) for groups in row.variants), row
        if row.kind == "field":
            model, fnames = row.target
            assert isinstance(model, str) and fnames and all(isinstance(f, str) for f in fnames), row
        elif row.kind == "action":
            assert len(row.target) == 3, row
        else:
            assert row.target and all(isinstance(item, str) for item in row.target), row
        assert allowed_roles(row) == (ROLES[ROLES.index(row.lowest) :] if row.lowest else ())
