package io.beacon.accounts.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import io.beacon.accounts.config.AccountsConfig;
import io.beacon.accounts.csv.Csv;
import io.beacon.accounts.domain.Account;
import io.beacon.accounts.rest.CsmRequest;
import io.beacon.accounts.rest.TeamRequest;
import io.beacon.contracts.Segment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Loads the demo data ({@code csms.csv}, {@code accounts.csv} in {@code beacon.accounts.seed-dir})
 * into an empty database at start. The local stack points it at {@code seeds/}; production leaves it unset.
 */
@ApplicationScoped
public class SeedLoader {

    private static final Logger LOG = Logger.getLogger(SeedLoader.class);

    private final AccountsConfig config;
    private final CsmService csms;
    private final AccountCsv csv;

    SeedLoader(AccountsConfig config, CsmService csms, AccountCsv csv) {
        this.config = config;
        this.csms = csms;
        this.csv = csv;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (config.seedDir().isEmpty() || hasAccounts()) {
            return;
        }
        Path dir = config.seedDir().get();
        loadCsms(dir.resolve("csms.csv"));
        AccountCsv.ImportReport report = csv.importCsv(Files.readString(dir.resolve("accounts.csv")), "seed");
        LOG.infof("Loaded seed data from %s: %d accounts created, %d rows refused", dir, report.created(),
                report.errors().size());
        report.errors().forEach(e -> LOG.warnf("seed accounts.csv line %d (%s): %s", e.line(), e.id(), e.errors()));
    }

    private static boolean hasAccounts() {
        return QuarkusTransaction.requiringNew().call(() -> Account.count() > 0);
    }

    /**
     * Columns: id,name,email,team,segment[,lead]; teams are created from the distinct (team, segment)
     * pairs, and a CSM whose {@code lead} is {@code yes} leads their team.
     */
    void loadCsms(Path file) throws IOException {
        List<Csv.Row> rows = Csv.parse(Files.readString(file));
        List<String> header = rows.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        Map<String, Segment> teams = new LinkedHashMap<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            Map<String, String> v = values(header, row);
            teams.putIfAbsent(v.get("team"), Segment.valueOf(v.get("segment").toUpperCase(Locale.ROOT)));
        }
        teams.forEach((name, segment) -> csms.ensureTeam(new TeamRequest(name, segment)));
        for (Csv.Row row : rows.subList(1, rows.size())) {
            Map<String, String> v = values(header, row);
            csms.createCsm(new CsmRequest(v.get("id"), v.get("name"), v.get("email"), v.get("team")));
        }
        for (Csv.Row row : rows.subList(1, rows.size())) {
            Map<String, String> v = values(header, row);
            if ("yes".equalsIgnoreCase(v.getOrDefault("lead", ""))) {
                csms.setLead(v.get("team"), v.get("id"));
            }
        }
    }

    private static Map<String, String> values(List<String> header, Csv.Row row) {
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < row.fields().size(); i++) {
            v.put(header.get(i), row.fields().get(i).trim());
        }
        return v;
    }
}
