package io.beacon.accounts.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.Segment;

/**
 * An account as the API shows it: the snapshot's fields plus what only people need.
 *
 * @param ownerOutsideSegmentTeam the owner belongs to a team serving another segment: allowed, but worth a look
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountView(
        String id,
        String name,
        int employees,
        Segment segment,
        AccountSnapshot.Csm csm,
        boolean ownerOutsideSegmentTeam,
        BigDecimal arr,
        LocalDate renewalDate,
        String lifecycleStage,
        Map<String, String> externalIds,
        AccountSnapshot.Health health,
        long version,
        Instant updatedAt,
        boolean test) {
}
