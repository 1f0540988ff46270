package io.beacon.contracts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The full current state of one account, as published on the compacted
 * {@link Topics#ACCOUNTS_SNAPSHOTS} topic keyed by {@code accountId}. {@code version} grows with
 * every committed change, so a consumer keeps a snapshot only if it is newer than the one it has.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountSnapshot(
        String accountId,
        String name,
        int employees,
        Segment segment,
        Csm csm,
        BigDecimal arr,
        LocalDate renewalDate,
        Health health,
        long version,
        /** True for a test or benchmark account: kept out of the executive dashboard's figures (null: false). */
        Boolean test,
        /**
         * The account's ids in other systems, by source ({@code "zendesk"} → its organisation id): how a
         * desk's organisation is resolved to this account. Null or empty: none.
         */
        Map<String, String> externalIds) {

    public AccountSnapshot(String accountId, String name, int employees, Segment segment, Csm csm, BigDecimal arr,
            LocalDate renewalDate, Health health, long version) {
        this(accountId, name, employees, segment, csm, arr, renewalDate, health, version, null, null);
    }

    public AccountSnapshot withVersion(long newVersion) {
        return new AccountSnapshot(accountId, name, employees, segment, csm, arr, renewalDate, health, newVersion, test,
                externalIds);
    }

    /** The external ids, never null. */
    public Map<String, String> externalIdsOrNone() {
        return externalIds == null ? Map.of() : externalIds;
    }

    public boolean testAccount() {
        return Boolean.TRUE.equals(test);
    }

    /** The account's CSM; {@code teamLead} is the id of the CSM who leads their team (null: none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Csm(String id, String name, String email, String team, String teamLead) {

        public Csm(String id, String name, String email, String team) {
            this(id, name, email, team, null);
        }
    }

    public record Health(int score, Color color, List<Measure> measures) {

        public Health {
            measures = measures == null ? List.of() : List.copyOf(measures);
        }
    }

    public record Measure(String name, int weight, int score) {
    }

    public enum Color {
        RED, YELLOW, GREEN
    }
}
