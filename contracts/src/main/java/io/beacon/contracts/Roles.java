package io.beacon.contracts;

/** The JWT groups Beacon's endpoints are guarded by. */
public final class Roles {

    /** Support systems and adapters that publish ticket events. */
    public static final String INGEST = "ingest";
    /** Customer-success managers: their own CTAs and inbox. */
    public static final String CSM = "csm";
    /** Executives: the dashboard and every CTA, read-only. */
    public static final String EXEC = "exec";
    /** Operations staff who own the rule files. */
    public static final String RULES_ADMIN = "rules-admin";
    /** Administrators: accounts, CSMs, dead letters. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
