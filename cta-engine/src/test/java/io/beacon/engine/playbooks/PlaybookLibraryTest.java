package io.beacon.engine.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLibraryTest {

    private static final Path SEEDS = Path.of("../seeds/playbooks");

    @TempDir
    Path dir;

    @Test
    void theBuiltInPlaybooksAreTheSeedsAndAllOfThemAreValid() throws IOException {
        PlaybookLibrary builtIn = new PlaybookLibrary(Optional::empty);
        builtIn.load();
        assertThat(builtIn.contents().refused()).isEmpty();
        try (Stream<Path> files = Files.list(SEEDS)) {
            assertThat(builtIn.contents().playbooks()).hasSize((int) files.filter(f -> f.toString().endsWith(".json")).count());
        }
        Properties index = new Properties();
        try (InputStream in = Files.newInputStream(SEEDS.resolve("index.properties"))) {
            index.load(in);
        }
        try (Stream<Path> files = Files.list(SEEDS)) {
            assertThat(Arrays.asList(index.getProperty("files").split(",")))
                    .containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                            .filter(f -> f.endsWith(".json")).toList());
        }
        assertThat(builtIn.forCta("RISK", "support-risk")).get().extracting(Playbook::name).isEqualTo("support-risk");
        assertThat(builtIn.forCta("RISK", "champion left")).get().extracting(Playbook::name).isEqualTo("risk-manual");
        assertThat(builtIn.forCta("EXPANSION", "upsell")).isEmpty();
    }

    @Test
    void aBadFileIsRefusedWithItsReasonAndTheOthersStayInUse() throws IOException {
        Files.copy(SEEDS.resolve("support-risk.json"), dir.resolve("support-risk.json"));
        write("broken.json", "{ \"name\": ");
        write("no-tasks.json", """
                {"name":"no-tasks","version":1,"type":"RISK","reason":"x","tasks":[]}""");
        write("bad-type.json", """
                {"name":"bad-type","version":1,"type":"CHURN","reason":"x","tasks":[{"title":"t","dueInDays":1}]}""");
        write("bad-due.json", """
                {"name":"bad-due","version":1,"type":"RISK","reason":"y","tasks":[{"title":"t","dueInDays":900}]}""");
        write("bad-version.json", """
                {"name":"bad-version","version":"two","type":"RISK","reason":"z","tasks":[{"title":"t","dueInDays":1}]}""");
        write("zz-same-key.json", """
                {"name":"another","version":1,"type":"RISK","reason":"support-risk","tasks":[{"title":"t","dueInDays":1}]}""");
        write("control.json", """
                {"name":"control","version":1,"type":"RISK","reason":"w","tasks":[{"title":"a\\u0000b","dueInDays":1}]}""");
        write("notes.txt", "not a playbook, not read");

        PlaybookLibrary library = new PlaybookLibrary(() -> Optional.of(dir));
        library.load();

        assertThat(library.contents().playbooks()).extracting(Playbook::name).containsExactly("support-risk");
        assertThat(library.contents().refused()).extracting(PlaybookLibrary.Refused::file, PlaybookLibrary.Refused::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("bad-due.json", "'tasks[0].dueInDays' must be a whole number from 0 to 365"),
                        org.assertj.core.groups.Tuple.tuple("bad-type.json",
                                "'type' must be one of [RISK, EXPANSION, LIFECYCLE, ACTIVITY, OBJECTIVE]"),
                        org.assertj.core.groups.Tuple.tuple("bad-version.json", "'version' must be a whole number from 1"),
                        org.assertj.core.groups.Tuple.tuple("control.json", "'tasks[0].title' holds control characters"),
                        org.assertj.core.groups.Tuple.tuple("no-tasks.json", "'tasks' must list 1 to 20 tasks"),
                        org.assertj.core.groups.Tuple.tuple("zz-same-key.json", "the playbook 'support-risk' already serves RISK/support-risk"),
                        org.assertj.core.groups.Tuple.tuple("broken.json", library.contents().refused().stream()
                                .filter(r -> r.file().equals("broken.json")).findFirst().orElseThrow().reason()));
        assertThat(library.contents().refused().stream().filter(r -> r.file().equals("broken.json")).findFirst()
                .orElseThrow().reason()).startsWith("not valid JSON");
    }

    @Test
    void aChangedFolderIsReadAgain() throws IOException {
        Files.copy(SEEDS.resolve("support-risk.json"), dir.resolve("support-risk.json"));
        PlaybookLibrary library = new PlaybookLibrary(() -> Optional.of(dir));
        library.load();
        assertThat(library.forCta("RISK", "support-risk")).get().extracting(Playbook::version).isEqualTo(1);

        write("support-risk.json", Files.readString(SEEDS.resolve("support-risk.json")).replace("\"version\": 1", "\"version\": 12"));
        library.reloadIfChanged();
        assertThat(library.forCta("RISK", "support-risk")).get().extracting(Playbook::version).isEqualTo(12);
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(dir.resolve(file), content);
    }
}
