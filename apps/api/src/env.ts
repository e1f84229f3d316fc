/**
 * The API's configuration: read from the environment here and nowhere else, validated at start. A bad value
 * stops the process with a message naming the variable.
 */
import { z } from "zod";
import { parseEncryptionKey, parsePlatformAdminEmails } from "@switchboard/auth";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  BASE_DOMAIN: z
    .string()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "must be a host name like app.example.com")
    .default("localhost"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Embedded PGlite data directory, used when DATABASE_URL is unset. */
  DATA_DIR: z.string().min(1).default(".data/pglite"),
  /**
   * Where data exports are written and served from (a PVC in the chart): the worker writes, the API streams
   * downloads, so every process that does either must see the same directory.
   */
  EXPORTS_DIR: z.string().min(1).default(".data/exports"),
  /** An S3-compatible bucket for exports instead of EXPORTS_DIR (set: the bucket is used). */
  EXPORTS_S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** A non-AWS server (MinIO, Ceph, R2…), addressed path-style; unset: AWS S3. */
  EXPORTS_S3_ENDPOINT: z
    .string()
    .trim()
    .refine((v) => v === "" || (/^https?:\/\/\S+$/.test(v) && URL.canParse(v) && !new URL(v).username), "must be an http(s):// URL without credentials")
    .optional()
    .transform((v) => v || undefined),
  EXPORTS_S3_REGION: z.string().trim().min(1).max(64).default("us-east-1"),
  /** Unset (both): the AWS SDK's default credentials (environment, web identity, instance role). Never logged. */
  EXPORTS_S3_ACCESS_KEY_ID: z.string().trim().max(256).optional().transform((v) => v || undefined),
  EXPORTS_S3_SECRET_ACCESS_KEY: z.string().trim().max(256).optional().transform((v) => v || undefined),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Proxies whose X-Forwarded-* headers are believed: comma-separated IPs/CIDRs, or a hop count. */
  TRUST_PROXY: z.string().optional(),
  COOKIE_SECURE: bool,
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(30 * 86400).default(1800),
  SESSION_ABSOLUTE_LIFETIME_SECONDS: z.coerce.number().int().min(300).max(90 * 86400).default(12 * 3600),
  /**
   * Validated sessions are served from this process's memory for this long (0 disables). Revocations reach every
   * replica by NOTIFY at once; only if a notification is lost does a revoked session live on for ≤ this long.
   */
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(10),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  /** Open engagements.onEvent streams per user in one process; more are refused with 429. */
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  /** How often open event streams re-check that their session, key and membership still hold (the revocation bound). */
  SSE_RECHECK_SECONDS: z.coerce.number().min(1).max(300).default(10),
  /** Built dashboard to serve; empty disables it (API only). */
  WEB_DIST_DIR: z.string().optional(),
  /** Seed the demo on an empty embedded database (first run). */
  SEED_DEMO: bool,
  /**
   * Seals secrets kept at rest (TOTP secrets): 32 random bytes as base64 or hex (`openssl rand -base64 32`).
   * Comma-separated keys rotate: the first seals, all open. Required in production; elsewhere see encryption-key.ts.
   */
  ENCRYPTION_KEY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return undefined;
      try {
        return v.split(",").map(parseEncryptionKey);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Accounts that are platform admins once their address is verified (comma-separated e-mail addresses). */
  PLATFORM_ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parsePlatformAdminEmails(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Calls per minute and client address to the procedures open without a session (sign-in, sign-up, resets); 0: no limit. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(20),
  /** The tier of new organisations (the platform changes it with platform.tenants.setPlan). */
  DEFAULT_TIER: z.enum(["free", "pro", "enterprise"]).default("free"),
  /** Self-service organisations one user may create (departments do not count). */
  MAX_TENANTS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Days between tenant.archive and the purge of the tenant's data; platform.tenants.restore brings it back until then. */
  ARCHIVE_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Run the background worker (mail, clean-up) in this process; `false` when a separate worker Deployment runs it. */
  WORKER: bool,
  /** Outgoing mail server: `smtp://user:pass@host:587`, `smtps://…:465`. Unset: mail stays queued (pnpm start/dev run a catcher). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Sender of every mail: `Name <address>` or an address. Default: Switchboard <no-reply@BASE_DOMAIN>. */
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, "must be an address or `Name <address>`")
    .optional(),
  /** How long one send may take before the job counts as lost and another worker retries it. */
  MAIL_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(600).default(60),
  /** Development mail catcher (pnpm start/dev without SMTP_URL): its SMTP port and its web page/REST port. */
  MAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  MAIL_UI_PORT: z.coerce.number().int().min(0).max(65535).default(1080),
  /** The catcher's page, set by pnpm start/dev for the start banner. */
  MAIL_UI_URL: z.url().optional(),
  /**
   * Development and tests only: webhook URLs (and AI base URLs) may be http://localhost, http://127.0.0.1 or
   * http://[::1]. Every other address rule still holds; refused with NODE_ENV=production.
   */
  WEBHOOKS_ALLOW_HTTP_LOCALHOST: bool,
  /**
   * AI replies' default provider, for chat agents without their own `provider.baseUrl`: an OpenAI-compatible base URL
   * (https://api.openai.com/v1, a vLLM server's http://vllm:8000/v1, Ollama's http://ollama:11434/v1), or `echo`, the
   * built-in echo provider (it says it is one). Unset: echo outside production, none in production (replies then
   * hand off to people). Being the operator's, it may be a private address.
   */
  AI_BASE_URL: z
    .string()
    .trim()
    .refine((v) => v === "" || v === "echo" || (/^https?:\/\/\S+$/.test(v) && URL.canParse(v)), "must be an http(s):// URL or echo")
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, "") : undefined)),
  /** The key sent to AI_BASE_URL (a tenant's own key, set with integrations.ai.set, takes its place). Never logged. */
  AI_API_KEY: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  /** The model of chat agents that name none. */
  AI_MODEL: z.string().trim().min(1).max(200).default("gpt-4o-mini"),
  /** One provider call at most; a slower answer counts as a failure (retried, then handed off). */
  AI_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  /**
   * Where replies in SMS / WhatsApp conversations are sent: Twilio's REST API (`…/2010-04-01/Accounts/<sid>/Messages.json`).
   * Tests point it at a local fake; https only with NODE_ENV=production (it carries tenants' auth tokens).
   */
  TWILIO_API_BASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, "") : "https://api.twilio.com"))
    .refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v) && new URL(v).search === "" && !new URL(v).username, "must be an http(s):// URL without query or credentials"),
});

export type Env = z.infer<typeof schema> & {
  cookieSecure: boolean;
  worker: boolean;
  mailFrom: string;
  /** AI_BASE_URL, or `echo` by default outside production, or null (no default provider). */
  aiBaseUrl: string | null;
};

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === "production" && !env.ENCRYPTION_KEY) {
    throw new Error("Invalid configuration:\n  ENCRYPTION_KEY: required when NODE_ENV=production (e.g. `openssl rand -base64 32`)");
  }
  if (env.NODE_ENV === "production" && env.WORKER !== false && !env.SMTP_URL) {
    throw new Error("Invalid configuration:\n  SMTP_URL: required when NODE_ENV=production and this process runs the worker (or set WORKER=false)");
  }
  if (env.NODE_ENV === "production" && env.WEBHOOKS_ALLOW_HTTP_LOCALHOST) {
    throw new Error("Invalid configuration:\n  WEBHOOKS_ALLOW_HTTP_LOCALHOST: must not be set when NODE_ENV=production");
  }
  if (Boolean(env.EXPORTS_S3_ACCESS_KEY_ID) !== Boolean(env.EXPORTS_S3_SECRET_ACCESS_KEY)) {
    throw new Error("Invalid configuration:\n  EXPORTS_S3_ACCESS_KEY_ID, EXPORTS_S3_SECRET_ACCESS_KEY: set both or neither");
  }
  if (env.NODE_ENV === "production" && !env.TWILIO_API_BASE_URL.startsWith("https://")) {
    throw new Error("Invalid configuration:\n  TWILIO_API_BASE_URL: must be https when NODE_ENV=production");
  }
  return {
    ...env,
    cookieSecure: env.COOKIE_SECURE ?? env.NODE_ENV === "production",
    worker: env.WORKER ?? true,
    mailFrom: env.MAIL_FROM ?? `Switchboard <no-reply@${env.BASE_DOMAIN}>`,
    // The echo provider only where nobody could mistake it for a model: production uses it when chosen explicitly.
    aiBaseUrl: env.AI_BASE_URL ?? (env.NODE_ENV === "production" ? null : "echo"),
  };
}
