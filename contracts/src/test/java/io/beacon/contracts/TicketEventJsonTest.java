package io.beacon.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class TicketEventJsonTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void readsKnownSpellingsOfEnumsCaseInsensitively() throws Exception {
        TicketEvent event = json.readValue("""
                {"eventId":"e-1","source":"Zendesk","type":"STATUS_CHANGED","occurredAt":"2026-11-01T10:00:00Z",
                 "accountId":"acme","ticket":{"id":"t-1","status":"Open","priority":"URGENT","type":"incident",
                 "tags":["vip"],"updatedAt":"2026-11-01T10:00:00Z"}}
                """, TicketEvent.class);

        assertThat(event.source()).isEqualTo(TicketEvent.Source.ZENDESK);
        assertThat(event.type()).isEqualTo(TicketEvent.Type.STATUS_CHANGED);
        assertThat(event.ticket().status()).isEqualTo(TicketEvent.Status.OPEN);
        assertThat(event.ticket().priority()).isEqualTo(TicketEvent.Priority.URGENT);
        assertThat(event.ticket().tags()).containsExactly("vip");
    }

    @Test
    void writesLowerCaseWireNamesAndReadsThemBack() throws Exception {
        TicketEvent event = new TicketEvent("e-2", TicketEvent.Source.API, TicketEvent.Type.CREATED,
                Instant.parse("2026-11-01T10:00:00Z"), "acme",
                new TicketEvent.Ticket("t-2", TicketEvent.Status.NEW, TicketEvent.Priority.HIGH,
                        TicketEvent.Kind.QUESTION, "Login fails", List.of(), null, null,
                        Instant.parse("2026-11-01T09:00:00Z"), Instant.parse("2026-11-01T10:00:00Z"), null));

        String written = json.writeValueAsString(event);

        assertThat(written).contains("\"source\":\"api\"", "\"status\":\"new\"", "\"type\":\"question\"");
        assertThat(json.readValue(written, TicketEvent.class)).isEqualTo(event);
    }

    @Test
    void unknownStatusNamesTheFieldAndTheAllowedValues() {
        assertThatThrownBy(() -> json.readValue("""
                {"eventId":"e-3","ticket":{"id":"t-3","status":"escalated"}}
                """, TicketEvent.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("unknown ticket.status 'escalated'")
                .hasMessageContaining("new, open, pending, hold, solved, closed");
    }
}
