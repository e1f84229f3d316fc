/**
 * Reproducible, realistic domain data for demos and benchmarks: AI agents, calls, leads, engagements and their
 * events for one tenant over the last `days`, from a seeded PRNG (same seed and `until` → same rows, ids included).
 *
 * Rows go in with `INSERT … SELECT * FROM unnest($1::uuid[], $2::text[], …)`: one bound parameter per column
 * (a PostgreSQL array literal), thousands of rows per statement, COPY-like throughput through any driver and
 * under RLS (the caller's transaction is scoped to the tenant).
 */
import { sql } from "drizzle-orm";
import type { Tx } from "./client";
import type { Features } from "./schema/tenants";

// ---------------------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------------------

/**
 * sfc32 (128-bit state, seeded through splitmix32) with helpers; deterministic for a given seed. A 32-bit-state
 * generator (mulberry32) is not enough here: every seed walks the same cycle, so the streams of a thousand
 * tenants overlap and repeat each other's ids.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    const total = pairs.reduce((n, [, w]) => n + w, 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1]![0];
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Log-normal with the given median; `spread` is sigma. */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(this.normal() * spread);
  }
  /** Poisson-ish count around `mean` (normal approximation, never negative). */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 30) {
      let n = 0;
      let p = Math.exp(-mean);
      let s = p;
      const u = this.next();
      while (u > s && n < 1000) {
        n += 1;
        p *= mean / n;
        s += p;
      }
      return n;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }
  uuid(): string {
    const h = (n: number) => Math.floor(this.next() * 16 ** n).toString(16).padStart(n, "0");
    return `${h(8)}-${h(4)}-4${h(3)}-${(8 + this.int(0, 3)).toString(16)}${h(3)}-${h(6)}${h(6)}`;
  }
}

/** A stable 32-bit hash for mixing names into seeds. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join("|")) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// Bulk insert
// ---------------------------------------------------------------------------------------------------------

type Value = string | number | boolean | Date | null;

function arrayLiteral(values: Value[]): string {
  const parts = values.map((v) => {
    if (v === null) return "NULL";
    const s = v instanceof Date ? v.toISOString() : String(v);
    return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(",")}}`;
}

export const BATCH_ROWS = 5000;

/** Inserts `rows` (arrays in `columns` order) into `table`, BATCH_ROWS per statement. Returns the row count. */
export async function bulkInsert(tx: Tx, table: string, columns: readonly (readonly [string, string])[], rows: Value[][]) {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const chunk = rows.slice(start, start + BATCH_ROWS);
    const arrays = columns.map(([, type], i) => sql`${arrayLiteral(chunk.map((r) => r[i]!))}::text[]::${sql.raw(type)}[]`);
    await tx.execute(
      sql`insert into ${sql.identifier(table)} (${sql.join(columns.map(([c]) => sql.identifier(c)), sql`, `)})
          select * from unnest(${sql.join(arrays, sql`, `)})`,
    );
  }
  return rows.length;
}

// ---------------------------------------------------------------------------------------------------------
// Domain data
// ---------------------------------------------------------------------------------------------------------

export interface GenerateOptions {
  tenantId: string;
  /** Members engagements may be assigned to. */
  userIds: string[];
  /** The PRNG seed (callers mix in the tenant's slug); same seed → same rows, ids included. */
  seed: number;
  days: number;
  /** Volume multiplier: 1 ≈ 33 calls, 20 engagements and 5 leads per tenant-day. */
  scale: number;
  /** End of the generated period (exclusive). */
  until: Date;
  features: Pick<Features, "voiceAgents" | "chatAgents" | "maxAgents">;
}

export interface GenerateCounts {
  agents: number;
  calls: number;
  leads: number;
  engagements: number;
  engagementEvents: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Contact-center load by UTC hour: quiet nights, busy office hours. */
const hourWeights = [1, 1, 1, 1, 1, 2, 3, 6, 10, 13, 14, 14, 12, 13, 14, 13, 11, 9, 7, 5, 4, 3, 2, 1].map(
  (w, h) => [h, w] as const,
);
const firstNames = ["Ava", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera", "Wen", "Yara", "Zoe"];
const lastNames = ["Adams", "Baker", "Chen", "Dubois", "Evans", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Rossi", "Silva", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Young", "Zhang"];
const outcomes = ["Booked an appointment", "Answered a billing question", "Transferred to a human", "Requested a callback", "Closed a sale", "Not interested", "Updated contact details", "Reported an outage"];
const subjects = ["Order status", "Refund request", "Cannot log in", "Pricing question", "Change of address", "Delivery delayed", "Cancel subscription", "Feature request"];
const messages = ["Hi, where is my order?", "I was charged twice this month.", "The app keeps logging me out.", "Do you ship to Canada?", "I'd like to cancel my plan.", "Can someone call me back?", "My package arrived damaged.", "How do I reset my password?"];
const sources = [["web", 40], ["referral", 15], ["campaign", 20], ["inbound-call", 15], ["event", 10]] as const;
const channels = [["whatsapp", 30], ["email", 25], ["chat", 20], ["voice", 10], ["facebook", 8], ["twitter", 7]] as const;
/** Median first-response time per channel, in seconds. */
const firstResponseMedian: Record<string, number> = { whatsapp: 300, email: 5400, chat: 45, voice: 20, facebook: 1800, twitter: 1200 };

function phoneNumber(rng: Rng) {
  return `+1${rng.int(201, 989)}${String(rng.int(0, 9_999_999)).padStart(7, "0")}`;
}

function moment(rng: Rng, dayStart: number): number {
  return dayStart + rng.weighted(hourWeights) * HOUR + rng.int(0, HOUR - 1);
}

export async function generateTenantData(tx: Tx, o: GenerateOptions): Promise<GenerateCounts> {
  const rng = new Rng(o.seed);
  const until = o.until.getTime();
  const firstDay = Math.floor(until / DAY) * DAY - (o.days - 1) * DAY;
  // Tenants differ in size: a log-normal factor with mean ≈ 1 keeps the expected total at `scale`.
  const size = o.scale * rng.logNormal(1, 0.5) * Math.exp(-0.125);

  // Agents
  const types: ("voice" | "chat")[] = [];
  if (o.features.voiceAgents) types.push("voice");
  if (o.features.chatAgents) types.push("chat");
  const agentRows: Value[][] = [];
  const voiceAgents: string[] = [];
  const agentCount = types.length ? Math.min(o.features.maxAgents, rng.int(1, 4)) : 0;
  for (let i = 0; i < agentCount; i++) {
    const id = rng.uuid();
    const type = types[i % types.length]!;
    if (type === "voice") voiceAgents.push(id);
    const configuration = {
      prompt: `You are a friendly ${type} assistant. Help customers with orders, billing and appointments.`,
      language: rng.pick(["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"]),
      ...(type === "voice" ? { voice: rng.pick(["alloy", "verse", "sage"]) } : {}),
      greeting: "Hello! How can I help you today?",
    };
    const created = new Date(firstDay - rng.int(1, 90) * DAY);
    agentRows.push([o.tenantId, id, `${type === "voice" ? "Voice" : "Chat"} agent ${i + 1}`, type, JSON.stringify(configuration), created, created]);
  }
  await bulkInsert(tx, "agents", [["tenant_id", "uuid"], ["id", "uuid"], ["name", "text"], ["type", "agent_type"], ["configuration", "jsonb"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"]], agentRows);

  const callRows: Value[][] = [];
  const leadRows: Value[][] = [];
  const engagementRows: Value[][] = [];
  const eventRows: [string, string, string, number][] = [];

  for (let d = 0; d < o.days; d++) {
    const dayStart = firstDay + d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    const load = size * (weekday === 0 || weekday === 6 ? 0.55 : 1.18); // averages 1 over a week

    for (let n = rng.count(33 * load); n > 0; n--) {
      const started = moment(rng, dayStart);
      if (started >= until) continue;
      const status = rng.weighted([["completed", 80], ["missed", 11], ["failed", 5], ["queued", 0], ["ringing", 0]] as const);
      const seconds =
        status === "completed" ? Math.min(3600, Math.max(8, rng.logNormal(170, 0.8))) : status === "missed" ? rng.int(15, 45) : rng.int(0, 20);
      const ended = Math.min(until - 1, started + Math.round(seconds * 1000));
      const completed = status === "completed";
      const agentId = voiceAgents.length && rng.chance(0.8) ? rng.pick(voiceAgents) : null;
      callRows.push([
        o.tenantId,
        rng.uuid(),
        agentId,
        rng.chance(0.7) ? "inbound" : "outbound",
        phoneNumber(rng),
        status,
        new Date(started),
        new Date(ended),
        completed ? rng.pick(outcomes) : status === "failed" ? "Carrier error" : null,
        completed ? rng.weighted([["positive", 45], ["neutral", 40], ["negative", 15]] as const) : null,
        completed ? `Agent: Hello! How can I help you today?\nCustomer: ${rng.pick(messages)}\nAgent: Let me check that for you.` : null,
        new Date(started),
        new Date(ended),
      ]);
    }

    for (let n = rng.count(5 * load); n > 0; n--) {
      const created = moment(rng, dayStart);
      if (created >= until) continue;
      const age = (until - created) / DAY;
      const first = rng.pick(firstNames);
      const last = rng.pick(lastNames);
      leadRows.push([
        o.tenantId,
        rng.uuid(),
        `${first} ${last}`,
        rng.chance(0.8) ? phoneNumber(rng) : null,
        rng.chance(0.7) ? `${first}.${last}${rng.int(1, 99)}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, "") : null,
        rng.weighted(sources),
        age > 7
          ? rng.weighted([["new", 5], ["contacted", 25], ["qualified", 20], ["converted", 20], ["lost", 30]] as const)
          : rng.weighted([["new", 50], ["contacted", 35], ["qualified", 15]] as const),
        new Date(created),
        new Date(created),
      ]);
    }

    for (let n = rng.count(20 * load); n > 0; n--) {
      const created = moment(rng, dayStart);
      if (created >= until) continue;
      const age = (until - created) / DAY;
      const channel = rng.weighted(channels);
      const status =
        age > 3
          ? rng.weighted([["resolved", 86], ["open", 9], ["new", 5]] as const)
          : age > 1
            ? rng.weighted([["resolved", 60], ["open", 30], ["new", 10]] as const)
            : rng.weighted([["resolved", 20], ["open", 40], ["new", 40]] as const);
      let firstResponse: number | null = null;
      let resolved: number | null = null;
      if (status !== "new") {
        firstResponse = created + Math.round(Math.min(3 * DAY, rng.logNormal(firstResponseMedian[channel]!, 0.9) * 1000));
        if (firstResponse >= until) firstResponse = until - 1;
      }
      if (status === "resolved") resolved = Math.min(until - 1, firstResponse! + Math.round(rng.logNormal(3600, 1.1) * 1000));
      const csat = resolved && rng.chance(0.6) ? rng.weighted([[1, 5], [2, 8], [3, 17], [4, 35], [5, 35]] as const) : null;
      const customer =
        channel === "email"
          ? `${rng.pick(firstNames)}.${rng.int(1, 9999)}@example.net`.toLowerCase()
          : channel === "twitter"
            ? `@${rng.pick(firstNames).toLowerCase()}${rng.int(1, 9999)}`
            : channel === "facebook"
              ? `fb:${rng.int(100_000_000, 999_999_999)}`
              : channel === "chat"
                ? `visitor-${rng.uuid().slice(0, 8)}`
                : phoneNumber(rng);
      const id = rng.uuid();
      const last = resolved ?? firstResponse ?? created;
      engagementRows.push([
        o.tenantId,
        id,
        channel,
        customer,
        channel === "email" ? rng.pick(subjects) : null,
        rng.pick(messages),
        status,
        rng.weighted([["low", 20], ["normal", 60], ["high", 15], ["urgent", 5]] as const),
        status !== "new" && o.userIds.length && rng.chance(0.85) ? rng.pick(o.userIds) : null,
        firstResponse === null ? null : new Date(firstResponse),
        resolved === null ? null : new Date(resolved),
        csat,
        new Date(created),
        new Date(last),
      ]);
      eventRows.push([o.tenantId, id, "created", created]);
      if (firstResponse !== null) eventRows.push([o.tenantId, id, "updated", firstResponse]);
      if (resolved !== null) eventRows.push([o.tenantId, id, "updated", resolved]);
    }
  }

  await bulkInsert(tx, "calls", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["agent_id", "uuid"], ["direction", "call_direction"], ["customer_phone", "text"],
    ["status", "call_status"], ["started_at", "timestamptz"], ["ended_at", "timestamptz"], ["outcome", "text"],
    ["sentiment", "sentiment"], ["transcript", "text"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ], callRows);
  await bulkInsert(tx, "leads", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["name", "text"], ["phone", "text"], ["email", "text"], ["source", "text"],
    ["status", "lead_status"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ], leadRows);
  await bulkInsert(tx, "engagements", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["channel", "engagement_channel"], ["customer", "text"], ["subject", "text"],
    ["message", "text"], ["status", "engagement_status"], ["priority", "engagement_priority"], ["assigned_user_id", "uuid"],
    ["first_response_at", "timestamptz"], ["resolved_at", "timestamptz"], ["csat", "smallint"], ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ], engagementRows);
  // Event ids follow time, as they would have live.
  eventRows.sort((a, b) => a[3] - b[3]);
  await bulkInsert(tx, "engagement_events", [
    ["tenant_id", "uuid"], ["engagement_id", "uuid"], ["type", "engagement_event_type"], ["at", "timestamptz"],
  ], eventRows.map(([t, e, type, at]) => [t, e, type, new Date(at)]));

  return {
    agents: agentRows.length,
    calls: callRows.length,
    leads: leadRows.length,
    engagements: engagementRows.length,
    engagementEvents: eventRows.length,
  };
}
