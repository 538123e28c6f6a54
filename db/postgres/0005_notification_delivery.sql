-- Reminder delivery: brokers may take a daily digest instead of single e-mails; delivery attempts are recorded.

ALTER TABLE users ADD COLUMN email_digest boolean NOT NULL DEFAULT FALSE;
ALTER TABLE reminders ADD COLUMN last_error varchar(1000) NULL;
CREATE INDEX ix_notifications_email ON notifications (emailed_at, user_id);
