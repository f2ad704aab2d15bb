/** @odoo-module **/

import { registry } from "@web/core/registry";

// The complaint is created by the Python test (tests/test_complaint_tour.py),
// new and owned by the specialist who runs the tour.

function currentState(label) {
    return `.o_statusbar_status button.o_arrow_button_current:contains('${label}')`;
}

registry.category("web_tour.tours").add("logistics_crm_complaint_tour", {
    steps: () => [
        {
            content: "The complaint is new",
            trigger: currentState("New"),
        },
        {
            content: "Acknowledge it",
            trigger: "button[name='action_acknowledge']",
            run: "click",
        },
        {
            content: "Acknowledged",
            trigger: currentState("Acknowledged"),
        },
        {
            content: "Start working on it",
            trigger: "button[name='action_start']",
            run: "click",
        },
        {
            content: "In progress",
            trigger: currentState("In Progress"),
        },
        {
            content: "Open the Resolution tab",
            trigger: ".o_notebook a.nav-link[name='resolution']",
            run: "click",
        },
        {
            content: "Root cause",
            trigger: "div[name='cause_id'] input",
            run: "edit Service Quality",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains('Service Quality')",
            run: "click",
        },
        {
            content: "Liable party",
            trigger: "div[name='liable_party'] select",
            run: 'select "carrier"',
        },
        {
            content: "Corrective action",
            trigger: "div[name='corrective_action'] textarea",
            run: "edit Redelivered the next morning",
        },
        {
            content: "Resolve",
            trigger: "button[name='action_resolve']",
            run: "click",
        },
        {
            content: "Resolved",
            trigger: currentState("Resolved"),
        },
    ],
});
