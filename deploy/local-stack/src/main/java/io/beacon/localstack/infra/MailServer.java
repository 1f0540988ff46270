package io.beacon.localstack.infra;

import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP server (GreenMail) in this JVM, with IMAP beside it so a mail client can read what
 * Beacon sent: every address gets a mailbox on first delivery, and IMAP logs in with the address as
 * both user name and password. Mail lives in memory only.
 */
public final class MailServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final int smtpPort;
    private final int imapPort;
    private GreenMail greenMail;

    private MailServer(int smtpPort, int imapPort) {
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    public static MailServer ephemeral() {
        return new MailServer(FreePorts.pick(), FreePorts.pick());
    }

    public static MailServer onPorts(int smtpPort, int imapPort) {
        return new MailServer(smtpPort, imapPort);
    }

    public synchronized MailServer start() {
        if (greenMail == null) {
            greenMail = new GreenMail(new ServerSetup[] {
                    new ServerSetup(smtpPort, HOST, ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(imapPort, HOST, ServerSetup.PROTOCOL_IMAP) });
            greenMail.start();
        }
        return this;
    }

    /** Stops accepting mail (an outage, in a test); what was received so far is dropped. */
    public synchronized void stop() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    public synchronized boolean isRunning() {
        return greenMail != null;
    }

    public String host() {
        return HOST;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    /** Every message received since the server started. */
    public synchronized List<MimeMessage> received() {
        return greenMail == null ? List.of() : Arrays.asList(greenMail.getReceivedMessages());
    }

    /** The messages with {@code address} among their recipients. */
    public List<MimeMessage> receivedBy(String address) {
        return received().stream().filter(m -> addressedTo(m, address)).toList();
    }

    private static boolean addressedTo(MimeMessage message, String address) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null && Arrays.stream(recipients).anyMatch(a -> a.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
