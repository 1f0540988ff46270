package io.beacon.notify.support;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

public final class Mails {

    private Mails() {
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text/plain part of a message (multipart/alternative as the mailer sends it). */
    public static String text(MimeMessage message) {
        try {
            Object content = message.getContent();
            if (content instanceof MimeMultipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    if (multipart.getBodyPart(i).isMimeType("text/plain")) {
                        return multipart.getBodyPart(i).getContent().toString();
                    }
                }
            }
            return content.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
