/** @odoo-module **/

import { registry } from "@web/core/registry";

// The customer "Tour Shipper" is created by the Python test
// (tests/test_ui_tours.py), graded C from one confirmed order of 20,000.

// The options of a selection field, without the empty one.
function selectionOptions(select) {
    return [...select.options].map((option) => option.value).filter((value) => value !== "false");
}

registry.category("web_tour.tours").add("logistics_crm_specialist_tour", {
    steps: () => [
        {
            content: "Opened from Logistics CRM, the customer shows its Logistics tab, the first",
            trigger: ".o_notebook .nav-item:first-child a.nav-link.active[name='logistics_crm']",
        },
        {
            content: "The grade computed from the orders is shown",
            trigger: "div[name='logistics_grade'] .badge:contains('C')",
        },
        {
            content: "An enterprise's size is computed: shown, not chosen",
            trigger: "div[name='logistics_size'] span:contains('Small')",
        },
        {
            content: "Classify the customer as a government customer",
            trigger: "div[name='logistics_customer_type'] select",
            run: 'select "government"',
        },
        {
            content: "Only the three government levels are offered",
            trigger: "div[name='logistics_government_level'] select",
            run() {
                const offered = selectionOptions(this.anchor).join(",");
                if (offered !== '"national","provincial","city"') {
                    throw new Error(`a government customer is offered the sizes ${offered}`);
                }
            },
        },
        {
            content: "Choose its level",
            trigger: "div[name='logistics_government_level'] select",
            run: 'select "provincial"',
        },
        {
            content: "Set its region tier",
            trigger: "div[name='logistics_region_tier'] select",
            run: 'select "tier_2"',
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Recompute the grade",
            trigger: "button[name='action_logistics_recompute_grade']",
            run: "click",
        },
        {
            content: "The grade is still C, from the same orders",
            trigger: "div[name='logistics_grade'] .badge:contains('C')",
        },
        {
            content: "Switch the type to enterprise",
            trigger: "div[name='logistics_customer_type'] select",
            run: 'select "enterprise"',
        },
        {
            content: "Save as an enterprise",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Its size is computed from its sales",
            trigger: ".o_form_saved div[name='logistics_size'] span:contains('Small')",
        },
        {
            content: "Switch the type back to government",
            trigger: "div[name='logistics_customer_type'] select",
            run: 'select "government"',
        },
        {
            content: "Save as a government customer again",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Its level was kept",
            trigger: ".o_form_saved div[name='logistics_government_level'] select",
            run() {
                if (this.anchor.value !== '"provincial"') {
                    throw new Error(`the government level is ${this.anchor.value} after switching back`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("logistics_crm_supervisor_override_tour", {
    steps: () => [
        {
            content: "Open the Logistics tab of the customer",
            trigger: "a.nav-link[name='logistics_crm']",
            run: "click",
        },
        {
            content: "Override the grade",
            trigger: "div[name='logistics_grade_override'] select",
            run: 'select "A"',
        },
        {
            content: "A reason is required: saving without one is refused",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The reason is flagged as missing",
            trigger: "div[name='logistics_grade_override_reason'].o_field_invalid",
        },
        {
            content: "Give the reason",
            trigger: "div[name='logistics_grade_override_reason'] input",
            run: "edit Framework contract signed",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The override is the grade",
            trigger: ".o_form_saved div[name='logistics_grade'] .badge:contains('A')",
        },
        {
            content: "Remove the override",
            trigger: "div[name='logistics_grade_override'] select",
            run: "select false",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The computed grade is back",
            trigger: ".o_form_saved div[name='logistics_grade'] .badge:contains('C')",
        },
    ],
});

registry.category("web_tour.tours").add("logistics_crm_admin_rule_tour", {
    steps: () => [
        {
            content: "Raise the minimum annual spend of the C rule",
            trigger: "div[name='min_annual_spend'] input",
            run: "edit 30000",
        },
        {
            content: "Save: the customers are regraded with the new rule",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("logistics_crm_chinese_tour", {
    steps: () => [
        {
            content: "The Logistics tab, in Chinese",
            trigger: "a.nav-link[name='logistics_crm']:contains('物流')",
            run: "click",
        },
        {
            content: "The classification group, in Chinese",
            trigger: ".o_form_sheet:contains('客户类型')",
        },
        {
            content: "The grade of the customer",
            trigger: "div[name='logistics_grade'] .badge:contains('C')",
        },
        {
            content: "Recompute its grade",
            trigger: "button[name='action_logistics_recompute_grade']",
            run: "click",
        },
        {
            content: "The notification says what happened, in Chinese",
            trigger: ".o_notification:contains('位客户')",
        },
    ],
});
