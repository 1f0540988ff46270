package io.beacon.notify.channel;

/** A channel could not deliver; the message is the reason an admin reads in the dead-letter list. */
public class DeliveryFailure extends Exception {

    public DeliveryFailure(String reason) {
        super(reason);
    }

    public DeliveryFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
