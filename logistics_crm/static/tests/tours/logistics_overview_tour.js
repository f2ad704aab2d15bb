/** @odoo-module **/

import { registry } from "@web/core/registry";

// A specialist goes through the overview to an at-risk customer's 360 view.
// The data are made by the Python test (tests/test_overview_tour.py).

registry.category("web_tour.tours").add("logistics_crm_overview_tour", {
    steps: () => [
        {
            content: "Open the Overview menu",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_overview']",
            run: "click",
        },
        {
            content: "Customers to look after",
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_overview_menu_look_after']",
            run: "click",
        },
        {
            content: "Open the customer drifting away",
            trigger: ".o_data_row .o_data_cell[name='complete_name']:contains('Tour Drifting Shipper')",
            run: "click",
        },
        {
            content: "Its health score is on the Logistics tab",
            trigger: ".o_notebook .nav-link.active:contains('Logistics')",
        },
        {
            content: "Health score",
            trigger: "div[name='logistics_health_score'] .o_progressbar",
        },
        {
            content: "Churn warning",
            trigger: "div[name='logistics_churn_reason']:contains('Overdue Order')",
        },
        {
            content: "Delivery service",
            trigger: "div[name='logistics_otif_rate']:contains('50.0')",
        },
        {
            content: "Care dates",
            trigger: "div[name='logistics_care_date_ids'] .o_data_row:contains('Founding anniversary')",
        },
        {
            content: "Back to the overview: at-risk customers",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_overview']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_overview_menu_at_risk']",
            run: "click",
        },
        {
            content: "The customer is at risk",
            trigger: ".o_data_row .o_data_cell:contains('Tour Drifting Shipper')",
        },
        {
            content: "OTIF trend",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_overview']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_overview_menu_otif_trend']",
            run: "click",
        },
        {
            content: "The trend is a graph",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Customers by grade",
            trigger: "[data-menu-xmlid='logistics_crm.logistics_crm_menu_overview']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='logistics_crm.logistics_overview_menu_by_grade']",
            run: "click",
        },
        {
            content: "A kanban column per grade",
            trigger: ".o_kanban_group .o_column_title:contains('D')",
        },
    ],
});
