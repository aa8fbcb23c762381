package dev.portal.ui;

import dev.portal.error.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/** The not-found page for any path below the UI's that no page answers, in the shell. */
@Controller
public class ShellController {

    public ShellController() {
    }

    /** Any other path below the UI's: the not-found page, in the shell. */
    @RequestMapping("${portal.ui.path:/portal}/**")
    ResponseEntity<String> unknown(HttpServletRequest request) {
        throw new NotFoundException("There is no page at " + request.getRequestURI() + ".");
    }
}
