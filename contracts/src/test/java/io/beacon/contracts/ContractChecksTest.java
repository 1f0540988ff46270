package io.beacon.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ContractChecksTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static TicketEvent event(String id, String subject, Instant updatedAt, List<String> tags) {
        return new TicketEvent("ev-1", TicketEvent.Source.API, TicketEvent.Type.UPDATED, NOW, "acct-1",
                new TicketEvent.Ticket(id, TicketEvent.Status.OPEN, TicketEvent.Priority.NORMAL, null, subject, tags,
                        null, null, NOW, updatedAt, null));
    }

    private static List<String> fields(List<ContractChecks.Violation> violations) {
        return violations.stream().map(ContractChecks.Violation::field).toList();
    }

    @Test
    void anOrdinaryEventIsWithinTheLimits() {
        assertThat(ContractChecks.ticketEvent(event("T-1", "Login fails\tsince\nMonday — ça va? 😀", NOW,
                List.of("billing")))).isEmpty();
    }

    @Test
    void whatPostgresWouldRefuseIsNamedByField() {
        assertThat(fields(ContractChecks.ticketEvent(event("T-1", "bad\u0000subject", NOW, List.of()))))
                .containsExactly("ticket.subject");
        assertThat(fields(ContractChecks.ticketEvent(event("T-1", "lone \ud800 surrogate", NOW, List.of()))))
                .containsExactly("ticket.subject");
        assertThat(fields(ContractChecks.ticketEvent(event("T-1", null, Instant.parse("-5000-01-01T00:00:00Z"),
                List.of())))).containsExactly("ticket.updatedAt");
        assertThat(fields(ContractChecks.ticketEvent(event("x".repeat(100_000), null, NOW, List.of()))))
                .containsExactly("ticket.id");
        assertThat(fields(ContractChecks.ticketEvent(event("T-1", null, NOW, Collections.nCopies(10_000, "t")))))
                .containsExactly("ticket.tags");
        assertThat(fields(ContractChecks.ticketEvent(event("T\n1", null, NOW, List.of())))).containsExactly("ticket.id");
    }

    @Test
    void theMessageSaysWhatIsWrongAndWhere() {
        assertThat(ContractChecks.ticketEvent(event("T-1", "ab\u0000", NOW, List.of())).get(0).message())
                .isEqualTo("may not contain the NUL character (at character 3)");
        assertThat(ContractChecks.ticketEvent(event("T-1", null, Instant.parse("+99999-01-01T00:00:00Z"), List.of()))
                .get(0).message()).startsWith("must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
    }

    /**
     * The check is exact: text passes if and only if it is within the length, survives a UTF-8 round
     * trip unchanged (no unpaired surrogate) and holds no control character but tab and line breaks.
     */
    @Property(tries = 2_000)
    void textPassesExactlyWhenItCanBeStoredAsIs(@ForAll("anyText") String text) {
        int max = 40;
        boolean storable = text.length() <= max
                && new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text)
                && text.chars().noneMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F);
        assertThat(ContractChecks.textProblem(text, max) == null).as("%s", escaped(text)).isEqualTo(storable);
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<Character> anyChar = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.chars().range(' ', '~')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0000', '\u001f')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\ud800', '\udfff')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\uffff')));
        return anyChar.list().ofMaxSize(50).map(chars -> {
            StringBuilder s = new StringBuilder();
            chars.forEach(s::append);
            return s.toString();
        });
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
