package io.beacon.accounts.rest;

import io.beacon.contracts.Segment;
import io.beacon.platform.validation.CleanText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record TeamRequest(@NotBlank @Size(max = 100) @CleanText String name, @NotNull Segment segment) {
}
