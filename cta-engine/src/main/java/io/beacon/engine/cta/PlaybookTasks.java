package io.beacon.engine.cta;

import java.time.Duration;
import java.util.List;

import io.beacon.engine.playbooks.Playbook;
import io.beacon.engine.playbooks.PlaybookLibrary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Gives a CTA that just opened the tasks of its playbook, each due its offset after the CTA opened. */
@ApplicationScoped
public class PlaybookTasks {

    private final PlaybookLibrary library;

    PlaybookTasks(PlaybookLibrary library) {
        this.library = library;
    }

    /** Attaches the playbook's tasks to {@code cta} (in the caller's transaction); none when no playbook serves it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void attach(Cta cta) {
        if (cta.playbook != null) {
            return;
        }
        library.forCta(cta.type, cta.reason).ifPresent(playbook -> {
            cta.playbook = playbook.name();
            cta.playbookVersion = playbook.version();
            List<Playbook.Task> tasks = playbook.tasks();
            for (int i = 0; i < tasks.size(); i++) {
                CtaTask task = new CtaTask();
                task.ctaId = cta.id;
                task.position = i + 1;
                task.title = tasks.get(i).title();
                task.dueAt = cta.openedAt.plus(Duration.ofDays(tasks.get(i).dueInDays()));
                task.persist();
            }
        });
    }
}
