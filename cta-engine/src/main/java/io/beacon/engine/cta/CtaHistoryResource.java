package io.beacon.engine.cta;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.engine.accounts.Caller;
import io.beacon.platform.rest.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Every change of an account's CTAs, newest first: the account page's timeline. */
@Path("/api/v1/accounts/{accountId}/cta-changes")
@Tag(name = "CTAs")
@Produces(MediaType.APPLICATION_JSON)
public class CtaHistoryResource {

    private final EntityManager em;
    private final Caller caller;
    private final CtaService ctas;

    CtaHistoryResource(EntityManager em, Caller caller, CtaService ctas) {
        this.em = em;
        this.caller = caller;
        this.ctas = ctas;
    }

    /** One change: what happened to which CTA, who did it (null: rules or time), by which rule and version, and why. */
    public record Change(String ctaId, String type, String reason, String kind, Instant at, String actor, String priority,
            boolean escalated, String ownerCsmId, String ruleset, int rulesetVersion, String rule,
            Map<String, Object> explanation) {
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Transactional
    @Operation(summary = "Every change of the account's CTAs, newest first (a CSM: of the CTAs they may open)",
            description = "`limit` is 1 to 500 (default 200).")
    public List<Change> list(@PathParam("accountId") String accountId, @QueryParam("limit") String limit) {
        int max = QueryParams.integer("limit", limit, 200, 1, 500);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT h.cta_id, c.type, c.reason, h.kind, h.at, h.actor, h.priority, h.escalated, h.owner_csm_id,
                       h.ruleset, h.ruleset_version, h.rule_name, h.explanation, c.owner_csm_id
                FROM cta_change h JOIN cta c ON c.id = h.cta_id
                WHERE h.account_id = ?1
                ORDER BY h.at DESC, h.id DESC
                LIMIT ?2
                """).setParameter(1, accountId).setParameter(2, max).getResultList();
        return rows.stream().filter(r -> caller.mayOpen((String) r[13]))
                .map(r -> new Change((String) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4]),
                        (String) r[5], (String) r[6], (Boolean) r[7], (String) r[8], (String) r[9],
                        ((Number) r[10]).intValue(), (String) r[11], ctas.read((String) r[12])))
                .toList();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected time " + value);
    }
}
