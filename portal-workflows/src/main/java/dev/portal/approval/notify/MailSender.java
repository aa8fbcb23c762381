package dev.portal.approval.notify;

/**
 * Sends e-mail; the starter adapts the host's {@code JavaMailSender}. Throws when the mail server
 * refused the message.
 */
@FunctionalInterface
public interface MailSender {

    void send(Mail mail);
}
