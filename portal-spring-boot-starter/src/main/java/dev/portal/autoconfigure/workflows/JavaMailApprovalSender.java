package dev.portal.autoconfigure.workflows;

import dev.portal.approval.notify.Mail;
import dev.portal.approval.notify.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/** Approval e-mail through the host's {@link JavaMailSender} (spring.mail.*). */
final class JavaMailApprovalSender implements MailSender {

    private final JavaMailSender sender;

    JavaMailApprovalSender(JavaMailSender sender) {
        this.sender = sender;
    }

    @Override
    public void send(Mail mail) {
        SimpleMailMessage message = new SimpleMailMessage();
        if (mail.from() != null) {
            message.setFrom(mail.from());
        }
        message.setTo(mail.to());
        message.setSubject(mail.subject());
        message.setText(mail.text());
        sender.send(message);
    }
}
