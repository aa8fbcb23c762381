package dev.portal.ui;

import dev.portal.error.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

import java.util.List;

/**
 * The shell's own pages: the sections whose pages come with the Scaffolder UI (Create, Runs,
 * Approvals) and the not-found page for any other path below the UI's.
 */
@Controller
public class ShellController {

    private final UiShells shells;
    private final UiPages pages;

    public ShellController(UiShells shells, UiPages pages) {
        this.shells = shells;
        this.pages = pages;
    }

    @GetMapping("${portal.ui.path:/portal}/create")
    ResponseEntity<String> create(HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Create", "create");
        return pages.ok("placeholder.jte", new PlaceholderPage(shell, "Create something new",
                "Starting a template from the browser is coming soon. Until then, the templates are listed in the"
                        + " catalog and run through the Scaffolder API.",
                List.of("GET /api/scaffolder/v2/templates", "POST /api/scaffolder/v2/tasks"),
                List.of(new Link(shell.paths().catalog("kind=Template"), "See the templates in the catalog"))));
    }

    @GetMapping("${portal.ui.path:/portal}/runs")
    ResponseEntity<String> runs(HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Runs", "runs");
        return pages.ok("placeholder.jte", new PlaceholderPage(shell, "Runs",
                "Following the Scaffolder's runs from the browser is coming soon. Until then, the Scaffolder API lists"
                        + " them with their steps and events.",
                List.of("GET /api/scaffolder/v2/tasks", "GET /api/scaffolder/v2/tasks/{id}/events"), List.of()));
    }

    @GetMapping("${portal.ui.path:/portal}/approvals")
    ResponseEntity<String> approvals(HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Approvals", "approvals");
        return pages.ok("placeholder.jte", new PlaceholderPage(shell, "Approvals",
                "Deciding approvals from the browser is coming soon. Until then, the approvals API lists the tasks you"
                        + " may decide.",
                List.of("GET /api/approvals/tasks", "POST /api/approvals/tasks/{id}/approve"), List.of()));
    }

    /** Any other path below the UI's: the not-found page, in the shell. */
    @RequestMapping("${portal.ui.path:/portal}/**")
    ResponseEntity<String> unknown(HttpServletRequest request) {
        throw new NotFoundException("There is no page at " + request.getRequestURI() + ".");
    }
}
