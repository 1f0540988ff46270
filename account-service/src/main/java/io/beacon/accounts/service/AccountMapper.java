package io.beacon.accounts.service;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.accounts.domain.Account;
import io.beacon.accounts.rest.AccountView;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.AccountSnapshot.Measure;
import jakarta.enterprise.context.ApplicationScoped;

/** Maps account entities to the wire snapshot and the API view; entities never leave the service. */
@ApplicationScoped
public class AccountMapper {

    private static final TypeReference<List<Measure>> MEASURES = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final HealthScorecard scorecard;

    AccountMapper(ObjectMapper json, HealthScorecard scorecard) {
        this.json = json;
        this.scorecard = scorecard;
    }

    public AccountSnapshot snapshot(Account account) {
        return new AccountSnapshot(account.id, account.name, account.employees, account.segment, csm(account),
                account.arr, account.renewalDate, health(account), account.version, account.test ? Boolean.TRUE : null,
                account.externalIds.isEmpty() ? null : new TreeMap<>(account.externalIds));
    }

    public AccountView view(Account account) {
        boolean outside = account.csm != null && account.csm.team.segment != account.segment;
        return new AccountView(account.id, account.name, account.employees, account.segment, csm(account), outside,
                account.arr, account.renewalDate, account.lifecycleStage, new TreeMap<>(account.externalIds),
                health(account), account.version, account.updatedAt, account.test);
    }

    public AccountSnapshot.Health health(Account account) {
        if (account.healthMeasures == null) {
            return null;
        }
        return scorecard.score(measures(account.healthMeasures));
    }

    public List<Measure> measures(String stored) {
        try {
            return json.readValue(stored, MEASURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored health measures are unreadable", e);
        }
    }

    public String store(List<Measure> measures) {
        try {
            return json.writeValueAsString(measures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything a snapshot or view shows except version and timestamps: equal means "nothing changed". */
    public Object content(Account account) {
        return List.of(snapshot(account).withVersion(0), String.valueOf(account.lifecycleStage),
                Map.copyOf(account.externalIds));
    }

    private static AccountSnapshot.Csm csm(Account account) {
        return account.csm == null ? null
                : new AccountSnapshot.Csm(account.csm.id, account.csm.name, account.csm.email, account.csm.team.name,
                        account.csm.team.lead);
    }
}
