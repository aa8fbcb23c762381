package dev.portal.approval.notify;

import dev.portal.catalog.model.EntityRef;

import java.util.Optional;

/**
 * Somebody a task waits for.
 *
 * @param email from the User entity's {@code spec.profile.email}, if it has one
 */
public record Recipient(EntityRef user, String displayName, Optional<String> email) {
}
