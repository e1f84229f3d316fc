/**
 * The SMTP side: one nodemailer transport per process, from `SMTP_URL` (`smtp://user:pass@host:port`,
 * `smtps://…`; nodemailer's URL query options such as `?name=` also work) and `MAIL_FROM`. Its timeouts add up to
 * less than the send job's timeout, so a hung server fails the attempt (and the job retries) rather than letting
 * the job expire while a send may still complete.
 */
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string;
  from: string;
  /** The send job's timeout; SMTP stages get fractions of it. */
  timeoutSeconds: number;
}

export function createMailer({ smtpUrl, from, timeoutSeconds }: MailerOptions): Mailer {
  const ms = timeoutSeconds * 1000;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: Math.min(10_000, ms / 4),
    greetingTimeout: Math.min(10_000, ms / 4),
    socketTimeout: ms / 3,
    dnsTimeout: Math.min(10_000, ms / 4),
  } satisfies SMTPTransport.Options);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? undefined });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
