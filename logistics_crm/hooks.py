from odoo.tools import SQL


def uninstall_hook(env):
    """Drop what the module added to the tables of other modules and Odoo
    does not drop by itself: the index of sale orders the grading reads."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS sale_order_logistics_grading_index"))
