package io.beacon.accounts.rest;

import io.beacon.platform.validation.CleanText;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record CsmRequest(
        @NotBlank @Size(max = 100) @CleanText String id,
        @NotBlank @Size(max = 200) @CleanText String name,
        @NotBlank @Email @Size(max = 320) @CleanText String email,
        @NotBlank @Size(max = 100) @CleanText String team) {
}
