-- Reminder delivery: brokers may take a daily digest instead of single e-mails; delivery attempts are recorded.

ALTER TABLE users ADD COLUMN email_digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminders ADD COLUMN last_error TEXT NULL;
CREATE INDEX ix_notifications_email ON notifications (emailed_at, user_id);
