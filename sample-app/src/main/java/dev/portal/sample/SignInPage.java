package dev.portal.sample;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.HtmlUtils;

/**
 * The sample's sign-in page (Spring Security's form login posts to the same path): it names the
 * demo users, so that somebody trying the portal knows who to sign in as. A real host has its own
 * page, or single sign-on.
 */
@Controller
class SignInPage {

    @GetMapping("/login")
    ResponseEntity<String> signIn(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String notice = request.getParameter("error") != null
                ? "<p class=\"notice notice-error\" role=\"alert\">That user name and password do not match. Try again.</p>"
                : request.getParameter("logout") != null ? "<p class=\"notice\">You are signed out.</p>" : "";
        String context = HtmlUtils.htmlEscape(request.getContextPath());
        String html = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in · Portal sample</title>
                <link rel="stylesheet" href="%1$s/sample/sign-in.css">
                </head>
                <body>
                <main class="sign-in">
                  <h1>Sign in to the portal</h1>
                  <p class="lead">This sample has three demo users, each with the password <code>demo</code>:</p>
                  <ul class="users">
                    <li><strong>alice</strong> a developer in team payments</li>
                    <li><strong>bob</strong> lead of payments, who approves its requests</li>
                    <li><strong>carol</strong> platform admin</li>
                  </ul>
                  %2$s
                  <form method="post" action="%1$s/login">
                    <label for="username">User name</label>
                    <input id="username" name="username" autocomplete="username" required autofocus>
                    <label for="password">Password</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required>
                    %3$s
                    <button type="submit">Sign in</button>
                  </form>
                  <p class="back"><a href="%1$s/portal">Back to the portal</a></p>
                </main>
                </body>
                </html>
                """.formatted(context, notice, token == null ? "" : "<input type=\"hidden\" name=\""
                + HtmlUtils.htmlEscape(token.getParameterName()) + "\" value=\"" + HtmlUtils.htmlEscape(token.getToken())
                + "\">");
        return ResponseEntity.ok().contentType(MediaType.valueOf("text/html;charset=UTF-8")).body(html);
    }
}
