package dev.portal.ui.catalog;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;

import java.util.List;

/**
 * The start page: what the catalog holds, per kind, and what the signed-in user's teams own.
 *
 * @param teams the signed-in user's groups (empty for a visitor or a user in no group)
 * @param owned the first entities owned by those teams or the user
 * @param ownedHref the catalog list of everything they own, or {@code null}
 * @param registerHref the register page, or {@code null} when the caller may not register
 */
public record HomePage(UiShell shell, long total, List<KindCount> kinds, List<Link> teams, List<EntityRow> owned,
                       long ownedTotal, String ownedHref, String registerHref) {

    public record KindCount(String kind, long count, String href) {
    }
}
