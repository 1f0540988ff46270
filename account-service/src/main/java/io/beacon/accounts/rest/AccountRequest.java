package io.beacon.accounts.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * What a caller sends to create or replace an account. The segment is derived, never sent.
 *
 * @param csmId the owner; when absent, an existing owner is kept and a new account gets the
 *        least-loaded CSM of its segment's teams
 * @param externalIds the account's ids in support systems, e.g. {"zendesk": "360001234"}
 * @param health the scorecard's measures (weights summing to 100); absent keeps the current one
 */
public record AccountRequest(
        @NotBlank @Size(max = 200) String id,
        @NotBlank @Size(max = 300) String name,
        @NotNull @PositiveOrZero Integer employees,
        @Size(max = 100) String csmId,
        @PositiveOrZero BigDecimal arr,
        LocalDate renewalDate,
        @Size(max = 32) String lifecycleStage,
        Map<@NotBlank @Size(max = 32) String, @NotBlank @Size(max = 200) String> externalIds,
        List<@Valid MeasureInput> health) {

    public record MeasureInput(@NotBlank @Size(max = 64) String name, int weight, int score) {
    }
}
