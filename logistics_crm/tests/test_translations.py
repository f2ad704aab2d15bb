"""The Simplified Chinese translation is complete and loads.

The terms are extracted from the database with Odoo's own exporter
(:class:`TranslationModuleReader`, what ``odoo --i18n-export`` uses), so the
check follows the code as it is installed, not the committed template.
After a change of a translatable string, run ``scripts/i18n-update`` and
translate what it reports as untranslated.
"""

import re
from collections import Counter

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

MODULE = "logistics_crm"
LANG = "zh_CN"

# Python formatting placeholders: %(name)s, %s, %d, ... and a literal %%.
PLACEHOLDER_RE = re.compile(r"%%|%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[#0 +-]*\d*(?:\.\d+)?[sdifr]")
# Markup inside view and HTML terms, which a translation must keep.
TAG_RE = re.compile(r"</?([a-zA-Z][\w.-]*)")


def placeholders(text):
    return Counter(PLACEHOLDER_RE.findall(text))


def tags(text):
    return Counter(TAG_RE.findall(text))


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reader = TranslationModuleReader(cls.env.cr, modules=[MODULE])
        # rows are (module, type, name, res_id, source, value, comments)
        cls.terms = {row[4] for row in reader if row[0] == MODULE}
        cls.po = polib.pofile(file_path(f"{MODULE}/i18n/{LANG}.po"))
        cls.pot = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))

    def test_terms_extracted(self):
        self.assertGreater(len(self.terms), 50, "the exporter found almost no term: is the module installed?")
        self.assertIn("Customer Type", self.terms)
        self.assertIn("No grading rule matched", self.terms)

    def test_po_header(self):
        self.assertEqual(self.po.metadata.get("Language"), LANG)
        self.assertEqual(self.po.metadata.get("Plural-Forms"), "nplurals=1; plural=0;")
        self.assertIn("charset=UTF-8", self.po.metadata.get("Content-Type", ""))

    def test_template_up_to_date(self):
        template = {entry.msgid for entry in self.pot if not entry.obsolete}
        missing = sorted(self.terms - template)
        self.assertFalse(missing, f"{MODULE}.pot misses terms of the code, run scripts/i18n-update: {missing}")

    def test_every_term_translated(self):
        entries = {entry.msgid: entry for entry in self.po if not entry.obsolete and not entry.msgctxt}
        untranslated = sorted(
            term
            for term in self.terms
            if term not in entries or not entries[term].msgstr.strip() or "fuzzy" in entries[term].flags
        )
        self.assertFalse(
            untranslated,
            f"{LANG}.po lacks translations, run scripts/i18n-update and translate: {untranslated}",
        )

    def test_placeholders_and_markup_kept(self):
        for entry in self.po:
            if entry.obsolete or not entry.msgstr:
                continue
            with self.subTest(msgid=entry.msgid):
                self.assertEqual(placeholders(entry.msgstr), placeholders(entry.msgid))
                self.assertEqual(tags(entry.msgstr), tags(entry.msgid))
                # a translation made of blanks only is no translation
                self.assertNotEqual(entry.msgstr.strip(), "")

    def test_load_chinese(self):
        self.env["res.lang"]._activate_lang(LANG)
        self.env["ir.module.module"]._get(MODULE)._update_translations([LANG], overwrite=True)
        env = self.env(context=dict(self.env.context, lang=LANG))

        # selection labels and field labels (ir.model.fields and its selections)
        customer_types = dict(env["res.partner"]._fields["logistics_customer_type"]._description_selection(env))
        self.assertEqual(customer_types["enterprise"], "企业")
        self.assertEqual(customer_types["government"], "政府或事业单位")
        rule_types = dict(env["logistics.grade.rule"]._fields["customer_type_filter"]._description_selection(env))
        self.assertEqual(rule_types["individual"], "个人")
        credit = dict(env["res.partner"]._fields["logistics_credit_status"]._description_selection(env))
        self.assertEqual(credit, {"good": "良好", "watch": "关注", "poor": "较差", "blocked": "冻结"})
        fields = env["res.partner"].fields_get(["logistics_customer_type", "logistics_annual_spend"], ["string"])
        self.assertEqual(fields["logistics_customer_type"]["string"], "客户类型")
        self.assertEqual(fields["logistics_annual_spend"]["string"], "年度物流支出")

        # translatable data records, menus and views
        self.assertEqual(env.ref(f"{MODULE}.service_level_a").name, "A级关键客户")
        # the size words people use, and a service level that is not a grade
        sizes = dict(env["res.partner"]._fields["logistics_size"]._description_selection(env))
        self.assertEqual((sizes["frequent"], sizes["occasional"]), ("高频客户", "低频客户"))
        self.assertEqual(
            env["res.partner"].fields_get(["logistics_service_level_id"])["logistics_service_level_id"]["string"],
            "服务标准",
        )

        # the module in Apps
        module = env.ref(f"base.module_{MODULE}")
        self.assertEqual(module.shortdesc, "物流CRM")
        self.assertTrue(module.summary.startswith("面向物流企业"), module.summary)
        self.assertEqual(env.ref(f"{MODULE}.logistics_grade_rule_menu").name, "分级规则")
        self.assertEqual(env.ref(f"{MODULE}.group_logistics_crm_specialist").name, "专员")
        arch = env.ref(f"{MODULE}.view_partner_form_inherit_logistics_crm").arch_db
        self.assertIn('string="物流"', arch)

        # messages of the Python code (read from the .po file at run time)
        partner = env["res.partner"].new({"name": "Test"})
        self.assertEqual(env["logistics.grading"]._grade_explanation(partner), "未匹配任何分级规则")
