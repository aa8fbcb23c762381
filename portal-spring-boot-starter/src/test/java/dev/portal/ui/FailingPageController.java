package dev.portal.ui;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * A page of the test host that fails the way a bug would, inside the UI's package so that the UI's
 * error handling answers it (UiPagesIntegrationTests checks that the answer leaks nothing).
 */
@Controller
class FailingPageController {

    static final String SECRET = "jdbc:postgresql://db.internal:5432/portal?password=hunter2";

    @GetMapping("/portal/test/fails")
    String fails() {
        throw new IllegalStateException("connection to " + SECRET + " refused");
    }
}
