{
    "name": "Logistics CRM",
    "summary": "Customer classification, A/B/C/D grading and service levels "
    "for logistics companies (3PL, freight, express, warehousing)",
    "version": "18.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/logistics-crm/logistics_crm",
    "author": "Logistics CRM contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "sale_management", "sale_stock"],
    "data": [
        "security/logistics_crm_security.xml",
        "security/ir.model.access.csv",
        "data/ir_default_data.xml",
        "data/res_partner_industry_data.xml",
        "data/logistics_grade_rule_data.xml",
        "data/logistics_service_level_data.xml",
        "data/ir_cron_data.xml",
        "views/logistics_grade_rule_views.xml",
        "views/logistics_service_level_views.xml",
        "views/logistics_grade_history_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_crm/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/logistics_crm_demo.xml",
    ],
}
