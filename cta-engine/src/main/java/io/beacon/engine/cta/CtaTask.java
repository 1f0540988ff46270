package io.beacon.engine.cta;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One playbook task on a CTA, copied from the playbook when the CTA opened. */
@Entity
@Table(name = "cta_task")
@IdClass(CtaTask.Key.class)
public class CtaTask extends PanacheEntityBase {

    @Id
    @Column(name = "cta_id")
    public String ctaId;

    @Id
    public int position;

    @Column(nullable = false)
    public String title;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "done_at")
    public Instant doneAt;

    @Column(name = "done_by")
    public String doneBy;

    public static class Key implements Serializable {
        public String ctaId;
        public int position;

        public Key() {
        }

        public Key(String ctaId, int position) {
            this.ctaId = ctaId;
            this.position = position;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ctaId.equals(ctaId) && k.position == position;
        }

        @Override
        public int hashCode() {
            return Objects.hash(ctaId, position);
        }
    }
}
