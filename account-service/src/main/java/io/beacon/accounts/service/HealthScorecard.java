package io.beacon.accounts.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.beacon.accounts.config.AccountsConfig;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.AccountSnapshot.Color;
import io.beacon.contracts.AccountSnapshot.Measure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A health scorecard is a set of weighted measures (weights sum to 100, scores 0–100); the score is
 * their weighted mean, the colour follows from configurable bands.
 */
@ApplicationScoped
public class HealthScorecard {

    private final AccountsConfig.Health config;
    private final Map<String, Integer> standardWeights;

    HealthScorecard(AccountsConfig config) {
        this.config = config.health();
        this.standardWeights = parse(this.config.defaultMeasures());
        if (config.health().redBelow() > config.health().greenFrom()) {
            throw new IllegalStateException("beacon.accounts.health.red-below must not exceed green-from");
        }
    }

    /** The standard measures' names and weights, in scorecard order. */
    public Map<String, Integer> standardWeights() {
        return standardWeights;
    }

    /** @return the problems with these measures; empty when they form a valid scorecard */
    public List<String> check(List<Measure> measures) {
        List<String> problems = new ArrayList<>();
        if (measures.isEmpty()) {
            problems.add("a scorecard needs at least one measure");
            return problems;
        }
        int weights = 0;
        for (Measure m : measures) {
            if (m.name() == null || m.name().isBlank()) {
                problems.add("every measure needs a name");
            }
            if (m.score() < 0 || m.score() > 100) {
                problems.add("measure '" + m.name() + "' has score " + m.score() + "; scores run from 0 to 100");
            }
            if (m.weight() < 0) {
                problems.add("measure '" + m.name() + "' has a negative weight");
            }
            weights += m.weight();
        }
        if (weights != 100) {
            problems.add("the weights add up to " + weights + "; they must add up to 100");
        }
        if (measures.stream().map(Measure::name).distinct().count() != measures.size()) {
            problems.add("each measure may appear only once");
        }
        return problems;
    }

    public AccountSnapshot.Health score(List<Measure> measures) {
        double weighted = measures.stream().mapToDouble(m -> m.weight() * (double) m.score()).sum() / 100.0;
        int score = (int) Math.round(weighted);
        return new AccountSnapshot.Health(score, color(score), measures);
    }

    public Color color(int score) {
        if (score < config.redBelow()) {
            return Color.RED;
        }
        return score >= config.greenFrom() ? Color.GREEN : Color.YELLOW;
    }

    /** Standard-weight measures from scores by name (missing names are left out; weights must still sum to 100). */
    public List<Measure> withStandardWeights(Map<String, Integer> scores) {
        List<Measure> measures = new ArrayList<>();
        standardWeights.forEach((name, weight) -> {
            Integer score = scores.get(name);
            if (score != null) {
                measures.add(new Measure(name, weight, score));
            }
        });
        return measures;
    }

    private static Map<String, Integer> parse(String spec) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            String[] parts = pair.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalStateException("beacon.accounts.health.default-measures: '" + pair + "' is not name:weight");
            }
            weights.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
        }
        if (weights.values().stream().mapToInt(Integer::intValue).sum() != 100) {
            throw new IllegalStateException("beacon.accounts.health.default-measures must sum to 100: " + spec);
        }
        return Collections.unmodifiableMap(weights);
    }
}
