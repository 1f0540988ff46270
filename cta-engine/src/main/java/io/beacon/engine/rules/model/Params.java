package io.beacon.engine.rules.model;

import java.util.Map;

import io.beacon.contracts.Segment;

/**
 * The ruleset's tunable numbers, per segment: {@code params.get("supportRisk.openTickets", segment)}.
 * Thresholds live here, not as literals in the DRL, so ops change them without touching rules.
 */
public class Params {

    private final Map<String, Map<Segment, Integer>> values;

    public Params(Map<String, Map<Segment, Integer>> values) {
        this.values = Map.copyOf(values);
    }

    public int get(String name, Segment segment) {
        Map<Segment, Integer> bySegment = values.get(name);
        if (bySegment == null || !bySegment.containsKey(segment)) {
            throw new IllegalArgumentException("the ruleset has no parameter " + name + " for " + segment);
        }
        return bySegment.get(segment);
    }

    public Map<String, Map<Segment, Integer>> values() {
        return values;
    }
}
