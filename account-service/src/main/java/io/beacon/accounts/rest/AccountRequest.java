package io.beacon.accounts.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.beacon.platform.validation.CleanText;
import io.beacon.platform.validation.ContractDate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
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
 * @param test a test or benchmark account, kept out of the executive dashboard; absent keeps the
 *        current value (false for a new account)
 */
public record AccountRequest(
        @NotBlank @Size(max = 200) @CleanText String id,
        @NotBlank @Size(max = 300) @CleanText String name,
        @NotNull @PositiveOrZero Integer employees,
        @Size(max = 100) @CleanText String csmId,
        @PositiveOrZero @Digits(integer = 14, fraction = 2) BigDecimal arr,
        @ContractDate LocalDate renewalDate,
        @Size(max = 32) @CleanText String lifecycleStage,
        @Size(max = 20) Map<@NotBlank @Size(max = 32) @CleanText String, @NotBlank @Size(max = 200) @CleanText String> externalIds,
        @Size(max = 50) List<@Valid MeasureInput> health,
        Boolean test) {

    public record MeasureInput(@NotBlank @Size(max = 64) @CleanText String name, int weight, int score) {
    }
}
