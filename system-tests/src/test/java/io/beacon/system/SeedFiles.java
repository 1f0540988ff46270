package io.beacon.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.beacon.contracts.Segment;

/** The demo data in {@code seeds/} as the system tests read it: accounts and CSMs. */
final class SeedFiles {

    private SeedFiles() {
    }

    record Account(String id, int employees, LocalDate renewal) {
    }

    record Csm(String id, String email, String team) {
    }

    record Seeds(Map<String, Account> accounts, Map<String, Csm> csms) {
        static Seeds read(Path dir) throws Exception {
            Map<String, Account> accounts = new LinkedHashMap<>();
            List<String> rows = Files.readAllLines(dir.resolve("accounts.csv"));
            for (String line : rows.subList(1, rows.size())) {
                String[] f = line.split(",", -1);
                accounts.put(f[0], new Account(f[0], Integer.parseInt(f[2]), f[5].isBlank() ? null : LocalDate.parse(f[5])));
            }
            Map<String, Csm> csms = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(dir.resolve("csms.csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                csms.put(f[0], new Csm(f[0], f[2].toLowerCase(), f[3]));
            }
            return new Seeds(accounts, csms);
        }
    }

    /** The account's segment, by the boundaries the contracts define. */
    static String segment(int employees) {
        return Segment.forEmployees(employees).name();
    }
}
