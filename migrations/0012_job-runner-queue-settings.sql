-- The worker applies the deployment's settings to its queues at start (e.g. the mail queue's timeout from
-- MAIL_SEND_TIMEOUT_SECONDS): a row update, not DDL. Creating and deleting queues stays the owner's.
GRANT UPDATE ON pgboss.queue TO switchboard_app;
