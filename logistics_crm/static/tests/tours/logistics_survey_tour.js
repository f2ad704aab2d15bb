/** @odoo-module **/

import { registry } from "@web/core/registry";

// The invitation is sent by the Python test (tests/test_survey_tour.py); the
// tour opens its personal link as the customer, without logging in.

function pick(question, index) {
    return {
        content: `Answer: ${question}`,
        trigger: `div.js_question-wrapper:contains("${question}") label.o_survey_choice_btn:eq(${index})`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("logistics_crm_survey_answer_tour", {
    steps: () => [
        {
            content: "Start the survey",
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        pick("Overall, how satisfied", 3), // 4 of 1-5
        pick("Timeliness", 4), // 5
        pick("Cargo condition", 1), // 2: a low answer
        pick("Delivery accuracy", 4),
        pick("Staff attitude", 4),
        pick("Price", 2), // 3
        pick("Communication", 3), // 4
        pick("How likely are you to recommend", 9), // 9 of 0-10
        {
            content: "Leave a comment",
            trigger: 'div.js_question-wrapper:contains("Anything else") textarea',
            run: "edit Two boxes were dented",
        },
        {
            content: "Submit",
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "Thanked",
            trigger: 'h1:contains("Thank you!")',
        },
    ],
});
