package io.beacon.notify.preferences;

/** How a recipient wants one channel used for CTAs of one priority. */
public enum Mode {
    /** Sent as soon as it happens (held only through quiet hours). */
    IMMEDIATE,
    /** Collected into one message a day. */
    DIGEST,
    /** Not sent on this channel (the inbox still records it). */
    OFF
}
