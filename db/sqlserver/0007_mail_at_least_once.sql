-- E-mail at least once: a notification's mail is due at email_due_at, claimed for a short lease (email_claimed_until),
-- and emailed_at is set only after the mail server accepted it; failed attempts are counted for the back-off.

ALTER TABLE notifications ADD email_due_at datetimeoffset(7) NULL;
ALTER TABLE notifications ADD email_claimed_until datetimeoffset(7) NULL;
ALTER TABLE notifications ADD email_attempts int NOT NULL CONSTRAINT df_notifications_email_attempts DEFAULT 0;
GO
-- Reminder notices still waiting for their mail are owed it.
UPDATE notifications SET email_due_at = created_at WHERE emailed_at IS NULL AND delivery_key LIKE 'reminder:%';
CREATE INDEX ix_notifications_mail_due ON notifications (emailed_at, email_due_at);
CREATE INDEX ix_reminders_claimed ON reminders (status, claimed_until);
