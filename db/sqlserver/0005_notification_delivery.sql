-- Reminder delivery: brokers may take a daily digest instead of single e-mails; delivery attempts are recorded.

ALTER TABLE users ADD email_digest bit NOT NULL CONSTRAINT df_users_email_digest DEFAULT 0;
ALTER TABLE reminders ADD last_error nvarchar(1000) NULL;
GO
CREATE INDEX ix_notifications_email ON notifications (emailed_at, user_id);
