package io.beacon.engine.playbooks;

import java.util.List;

/** The tasks a CSM works through for CTAs of one type and reason ({@code *}: any reason of the type). */
public record Playbook(String name, int version, String type, String reason, String description, List<Task> tasks) {

    public static final String ANY_REASON = "*";

    public record Task(String title, int dueInDays) {
    }
}
