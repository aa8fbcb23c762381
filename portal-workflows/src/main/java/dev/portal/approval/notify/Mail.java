package dev.portal.approval.notify;

/** One plain-text e-mail to one person. */
public record Mail(String from, String to, String subject, String text) {
}
