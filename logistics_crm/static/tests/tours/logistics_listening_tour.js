/** @odoo-module **/

import { registry } from "@web/core/registry";

// A manager clears a wrong unhappy-customer alert, then opens the monthly
// customer experience report and the win-back analysis. The data are made by
// the Python test (tests/test_listening_tour.py).

registry.category("web_tour.tours").add("logistics_crm_listening_tour", {
    steps: () => [
        {
            content: "Open the Overview menu",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_overview']",
            run: "click",
        },
        {
            content: "Unhappy customers",
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_overview_menu_unhappy']",
            run: "click",
        },
        {
            content: "Open the angry customer's complaint",
            trigger: ".o_data_row .o_data_cell:contains('Crushed pallets again')",
            run: "click",
        },
        {
            content: "The complaint is marked unhappy",
            trigger: ".o_form_view .ribbon:contains('Unhappy')",
        },
        {
            content: "The words that drove it",
            trigger: "div[name='sentiment_drivers']:not(:empty)",
        },
        {
            content: "Clear the alert",
            trigger: "button[name='action_clear_sentiment_alert']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The correction is kept",
            trigger: "div[name='sentiment_alert_cleared'] input:checked",
        },
        {
            content: "Reporting",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_reporting']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_cx_report_menu']",
            run: "click",
        },
        {
            content: "Last month's report",
            trigger: ".o_data_row .o_data_cell[name='csat']",
            run: "click",
        },
        {
            content: "Its trend",
            trigger: ".o_notebook .nav-link:contains('Trend')",
            run: "click",
        },
        {
            content: "Six months",
            trigger: "div[name='trend_line_ids'] .o_data_row:nth-child(6)",
        },
        {
            content: "Reporting",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_reporting']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_winback_menu']",
            run: "click",
        },
        {
            content: "The reactivation rate by action",
            trigger: ".o_pivot th:contains('Call by the Salesperson')",
        },
    ],
});
