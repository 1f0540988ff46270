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

    /** These parameters with {@code name} set to {@code value} for {@code segment} (null: for every segment it has). */
    public Params with(String name, Segment segment, int value) {
        Map<String, Map<Segment, Integer>> changed = new java.util.HashMap<>(values);
        Map<Segment, Integer> bySegment = new java.util.EnumMap<>(Segment.class);
        bySegment.putAll(values.getOrDefault(name, Map.of()));
        if (segment == null) {
            bySegment.replaceAll((s, v) -> value);
        } else {
            bySegment.put(segment, value);
        }
        changed.put(name, bySegment);
        return new Params(changed);
    }

    public Map<String, Map<Segment, Integer>> values() {
        return values;
    }
}
