import collections, re
from unittest.mock import patch
from odoo.sql_db import Cursor
from odoo.tests import tagged, warmup
from .test_performance import TestGradingPerformance as Base


@tagged("post_install", "-at_install")
class TestScratchPerf(Base):
    @warmup
    def test_dump_nochange(self):
        self.customers.action_logistics_recompute_grade()
        for size in (10, 100, 200):
            self.env.flush_all()
            self.env.invalidate_all()
            queries = []
            orig = Cursor.execute

            def execute(cr, query, params=None, log_exceptions=None):
                queries.append(re.sub(r"\s+", " ", query.code if hasattr(query, "code") else query)[:160])
                return orig(cr, query, params, log_exceptions)

            with patch("odoo.sql_db.Cursor.execute", execute):
                self._recompute(size)
                self.env.flush_all()
            if self.warm:
                print("=====", size, len(queries))
                print("\n".join(queries))

    def test_recompute_grades_change(self):
        pass

    def test_recompute_nothing_changes(self):
        pass

    def test_cron_batch(self):
        pass
