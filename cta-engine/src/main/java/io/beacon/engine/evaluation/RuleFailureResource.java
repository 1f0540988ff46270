package io.beacon.engine.evaluation;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/rule-failures")
@Tag(name = "Rules")
public class RuleFailureResource {

    public record Failure(String accountId, String ruleset, int rulesetVersion, String rule, String message,
            Instant occurredAt) {
    }

    @GET
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN })
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "The latest 200 evaluations that failed, with the rule and account")
    public List<Failure> latest() {
        return RuleFailure.<RuleFailure> findAll(Sort.descending("occurredAt", "id")).page(0, 200).list().stream()
                .map(f -> new Failure(f.accountId, f.ruleset, f.rulesetVersion, f.ruleName, f.message, f.occurredAt))
                .toList();
    }
}
