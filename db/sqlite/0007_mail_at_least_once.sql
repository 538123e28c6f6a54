-- E-mail at least once: a notification's mail is due at email_due_at, claimed for a short lease (email_claimed_until),
-- and emailed_at is set only after the mail server accepted it; failed attempts are counted for the back-off.

ALTER TABLE notifications ADD COLUMN email_due_at TEXT NULL;
ALTER TABLE notifications ADD COLUMN email_claimed_until TEXT NULL;
ALTER TABLE notifications ADD COLUMN email_attempts INTEGER NOT NULL DEFAULT 0;
-- Reminder notices still waiting for their mail are owed it.
UPDATE notifications SET email_due_at = created_at WHERE emailed_at IS NULL AND delivery_key LIKE 'reminder:%';
CREATE INDEX ix_notifications_mail_due ON notifications (emailed_at, email_due_at);
CREATE INDEX ix_reminders_claimed ON reminders (status, claimed_until);
