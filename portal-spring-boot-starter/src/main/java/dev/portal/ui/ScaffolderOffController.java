package dev.portal.ui;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.util.List;

/**
 * Create, Runs and Approvals in an application that runs without the Scaffolder
 * ({@code portal.scaffolder.enabled=false}, or no workflow engine): the navigation stays the same,
 * and these pages say why there is nothing to do here.
 */
@Controller
public class ScaffolderOffController {

    private final UiShells shells;
    private final UiPages pages;

    public ScaffolderOffController(UiShells shells, UiPages pages) {
        this.shells = shells;
        this.pages = pages;
    }

    @GetMapping({"${portal.ui.path:/portal}/create", "${portal.ui.path:/portal}/runs", "${portal.ui.path:/portal}/approvals"})
    ResponseEntity<String> off(HttpServletRequest request) {
        String path = request.getRequestURI();
        String section = path.endsWith("/create") ? "create" : path.endsWith("/runs") ? "runs" : "approvals";
        UiShell shell = shells.shell(request, switch (section) {
            case "create" -> "Create";
            case "runs" -> "Runs";
            default -> "Approvals";
        }, section);
        return pages.ok("placeholder.jte", new PlaceholderPage(shell, "The Scaffolder is off here",
                "This portal runs without the Scaffolder, so there are no templates to start, runs to follow or"
                        + " approvals to decide. The catalog works as usual.",
                List.of(), List.of(new Link(shell.paths().catalog(), "Browse the catalog"))));
    }
}
