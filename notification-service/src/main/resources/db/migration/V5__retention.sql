-- Retention (NotifyRetention) deletes finished deliveries, dead letters and received records by age.
CREATE INDEX delivery_age ON delivery (created_at);
CREATE INDEX dead_letter_age ON dead_letter (dead_at);
CREATE INDEX notification_age ON notification (received_at);
