package io.beacon.accounts.rest;

import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** What a caller sends to create or replace an account. The segment is derived, never sent. */
public record AccountRequest(
        @NotBlank @Size(max = 200) String id,
        @NotBlank @Size(max = 300) String name,
        @NotNull @PositiveOrZero Integer employees,
        @Size(max = 100) String csmId,
        @PositiveOrZero BigDecimal arr,
        LocalDate renewalDate,
        @Size(max = 32) String lifecycleStage) {
}
