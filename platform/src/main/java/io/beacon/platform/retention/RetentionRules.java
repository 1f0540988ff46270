package io.beacon.platform.retention;

import java.util.List;

/** A bean that names what its service prunes; {@link Retention} runs every such bean's rules, in order. */
public interface RetentionRules {

    List<RetentionRule> rules();
}
