/**
 * Reproducible, realistic domain data for demos and benchmarks: AI agents, contacts (one person across channels,
 * calls and leads), calls, leads, engagements with their threads of messages, labels, canned responses and the
 * engagements' events for one tenant over the last `days`, from a seeded PRNG (same seed and `until` → same rows,
 * ids included).
 *
 * Rows go in with `INSERT … SELECT * FROM unnest($1::uuid[], $2::text[], …)`: one bound parameter per column
 * (a PostgreSQL array literal), thousands of rows per statement, COPY-like throughput through any driver and
 * under RLS (the caller's transaction is scoped to the tenant).
 */
import { sql } from "drizzle-orm";
import type { Tx } from "./client";
import type { Features } from "./schema/tenants";
import { handleKindOf, type HandleKind } from "./handles";
import { cannedResponseTexts, csatComments, customerFillers, customerNudges, genericNotes, labelNames, teamFillers, teamFollowUps, topics } from "./generate-scripts";

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

const needsEscape = /[\\"]/;
const escapes = /[\\"]/g;

/** `{"a","b",NULL}`: one column of a batch as a PostgreSQL array literal (built in one pass: it is the hot loop). */
function arrayLiteral(values: Value[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ",";
    if (v === null) {
      out += "NULL";
      continue;
    }
    const s = v instanceof Date ? v.toISOString() : String(v);
    out += `"${needsEscape.test(s) ? s.replace(escapes, "\\$&") : s}"`;
  }
  return `${out}}`;
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
  /** Members who work conversations (assignees, reply and note authors), with the names the thread shows. */
  members: { id: string; name: string }[];
  /** The PRNG seed (callers mix in the tenant's slug); same seed → same rows, ids included. */
  seed: number;
  days: number;
  /** Volume multiplier: 1 ≈ 33 calls, 20 engagements (≈ 6 messages each) and 5 leads per tenant-day. */
  scale: number;
  /** End of the generated period (exclusive). */
  until: Date;
  features: Pick<Features, "voiceAgents" | "chatAgents" | "maxAgents">;
}

export interface GenerateCounts {
  agents: number;
  contacts: number;
  contactHandles: number;
  calls: number;
  leads: number;
  engagements: number;
  engagementEvents: number;
  messages: number;
  labels: number;
  engagementLabels: number;
  cannedResponses: number;
}

export const emptyCounts = (): GenerateCounts => ({
  agents: 0, contacts: 0, contactHandles: 0, calls: 0, leads: 0, engagements: 0, engagementEvents: 0, messages: 0,
  labels: 0, engagementLabels: 0, cannedResponses: 0,
});

/**
 * Messages in a long thread: the 20th answered engagement of a tenant and one in LONG_THREAD_EVERY after it
 * (messages.list of a long thread is benchmarked).
 */
export const LONG_THREAD_MESSAGES = 50;
const LONG_THREAD_EVERY = 200;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Contact-center load by UTC hour: quiet nights, busy office hours. */
const hourWeights = [1, 1, 1, 1, 1, 2, 3, 6, 10, 13, 14, 14, 12, 13, 14, 13, 11, 9, 7, 5, 4, 3, 2, 1].map(
  (w, h) => [h, w] as const,
);
const firstNames = ["Ava", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera", "Wen", "Yara", "Zoe"];
const lastNames = ["Adams", "Baker", "Chen", "Dubois", "Evans", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Rossi", "Silva", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Young", "Zhang"];
const outcomes = ["Booked an appointment", "Answered a billing question", "Transferred to a human", "Requested a callback", "Closed a sale", "Not interested", "Updated contact details", "Reported an outage"];
const sources = [["web", 40], ["referral", 15], ["campaign", 20], ["inbound-call", 15], ["event", 10]] as const;
const channels = [["whatsapp", 30], ["email", 25], ["chat", 20], ["voice", 10], ["facebook", 8], ["twitter", 7]] as const;
type Channel = (typeof channels)[number][0];
/** Median first-response time per channel, in seconds (later replies in a thread follow the same pace). */
const firstResponseMedian: Record<Channel, number> = { whatsapp: 300, email: 5400, chat: 45, voice: 20, facebook: 1800, twitter: 1200 };
/** Replies in a thread, answered conversations: 2–12 messages (notes included). */
const threadLengths = [[2, 6], [3, 8], [4, 10], [5, 12], [6, 12], [7, 12], [8, 10], [9, 9], [10, 8], [11, 7], [12, 6]] as const;
const areaCodes = [201, 206, 212, 213, 305, 312, 404, 415, 503, 512, 617, 646, 702, 713, 718, 808, 917];
const plans = ["Basic", "Pro", "Team", "Premium"];

/** A valid North American number in E.164 (exchange 200–999, never N11): what normaliseHandle stores. */
function phoneNumber(rng: Rng) {
  let exchange = rng.int(200, 999);
  if (exchange % 100 === 11) exchange += 1;
  return `+1${rng.pick(areaCodes)}${exchange}${String(rng.int(0, 9999)).padStart(4, "0")}`;
}

function moment(rng: Rng, dayStart: number): number {
  return dayStart + rng.weighted(hourWeights) * HOUR + rng.int(0, HOUR - 1);
}

interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  createdAt: number;
  handles: Map<HandleKind, string>;
}

/**
 * The tenant's customers. A returning customer is picked among those who have the handle the channel needs (or,
 * for social and chat channels, an existing person gains that handle: one contact across channels and calls);
 * a new one is a person with an e-mail address and a phone number (social and chat: that handle only).
 * Handles are unique per tenant and stored normalised (lower-case e-mail, E.164 phone, lower-case @handle).
 */
class Contacts {
  readonly all: Contact[] = [];
  private readonly byKind = new Map<HandleKind, Contact[]>();
  private readonly taken = new Set<string>();
  constructor(private readonly rng: Rng) {}

  private unique(kind: HandleKind, make: () => string): string {
    for (;;) {
      const value = make();
      if (!this.taken.has(`${kind}:${value}`)) return value;
    }
  }
  private addHandle(c: Contact, kind: HandleKind, value: string) {
    this.taken.add(`${kind}:${value}`);
    c.handles.set(kind, value);
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, (list = []));
    list.push(c);
  }
  private handleFor(kind: HandleKind, first: string, last: string): string {
    const rng = this.rng;
    switch (kind) {
      case "email":
        return this.unique(kind, () => `${first}.${last}${rng.int(1, 999)}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ""));
      case "phone":
        return this.unique(kind, () => phoneNumber(rng));
      case "twitter":
        return this.unique(kind, () => `@${first.toLowerCase()}${rng.int(1, 9999)}`);
      case "facebook":
        return this.unique(kind, () => `fb:${rng.int(100_000_000, 999_999_999)}`);
      case "chat":
        return this.unique(kind, () => `visitor-${rng.uuid().slice(0, 8)}`);
    }
  }
  private create(at: number, kinds: HandleKind[], named: boolean): Contact {
    const first = this.rng.pick(firstNames);
    const last = this.rng.pick(lastNames);
    const c: Contact = { id: this.rng.uuid(), name: named ? `${first} ${last}` : null, email: null, phone: null, createdAt: at, handles: new Map() };
    for (const kind of kinds) {
      const value = this.handleFor(kind, first, last);
      this.addHandle(c, kind, value);
      if (kind === "email") c.email = value;
      if (kind === "phone") c.phone = value;
    }
    this.all.push(c);
    return c;
  }
  private seen(c: Contact, at: number): Contact {
    c.createdAt = Math.min(c.createdAt, at);
    return c;
  }
  /** The person behind a new engagement, call or lead on `kind`; `returning` is the chance of a known one. */
  forHandle(kind: HandleKind, at: number, returning: number): Contact {
    const rng = this.rng;
    const known = this.byKind.get(kind);
    if (known?.length && rng.chance(returning)) return this.seen(rng.pick(known), at);
    if (kind === "email" || kind === "phone") {
      return this.create(at, rng.chance(0.85) ? ["email", "phone"] : [kind], true);
    }
    // Social and chat: sometimes a known person writing from a new channel.
    const people = this.byKind.get("email");
    if (people?.length && rng.chance(0.25)) {
      const c = rng.pick(people);
      if (!c.handles.has(kind)) {
        const [first, last] = (c.name ?? "Ava Adams").split(" ");
        this.addHandle(c, kind, this.handleFor(kind, first!, last ?? ""));
        return this.seen(c, at);
      }
    }
    return this.create(at, [kind], kind !== "chat" || rng.chance(0.3));
  }
}

interface Author {
  type: "customer" | "user" | "ai_agent" | "system";
  id: string | null;
  name: string;
}

const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? k);

export async function generateTenantData(tx: Tx, o: GenerateOptions): Promise<GenerateCounts> {
  const rng = new Rng(o.seed);
  const until = o.until.getTime();
  const firstDay = Math.floor(until / DAY) * DAY - (o.days - 1) * DAY;
  // Tenants differ in size: a log-normal factor with mean ≈ 1 keeps the expected total at `scale`.
  const size = o.scale * rng.logNormal(1, 0.5) * Math.exp(-0.125);
  const setupAt = new Date(firstDay - 30 * DAY);

  // Agents
  const types: ("voice" | "chat")[] = [];
  if (o.features.voiceAgents) types.push("voice");
  if (o.features.chatAgents) types.push("chat");
  const agentRows: Value[][] = [];
  const voiceAgents: string[] = [];
  const chatAgents: Author[] = [];
  const agentCount = types.length ? Math.min(o.features.maxAgents, rng.int(1, 4)) : 0;
  for (let i = 0; i < agentCount; i++) {
    const id = rng.uuid();
    const type = types[i % types.length]!;
    const name = `${type === "voice" ? "Voice" : "Chat"} agent ${i + 1}`;
    if (type === "voice") voiceAgents.push(id);
    else chatAgents.push({ type: "ai_agent", id, name });
    const configuration = {
      prompt: `You are a friendly ${type} assistant. Help customers with orders, billing and appointments.`,
      language: rng.pick(["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"]),
      ...(type === "voice" ? { voice: rng.pick(["alloy", "verse", "sage"]) } : {}),
      greeting: "Hello! How can I help you today?",
    };
    const created = new Date(firstDay - rng.int(1, 90) * DAY);
    agentRows.push([o.tenantId, id, name, type, JSON.stringify(configuration), created, created]);
  }
  await bulkInsert(tx, "agents", [["tenant_id", "uuid"], ["id", "uuid"], ["name", "text"], ["type", "agent_type"], ["configuration", "jsonb"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"]], agentRows);

  // Labels and canned responses: the tenant's setup.
  const labelIds = new Map<string, string>();
  const labelRows: Value[][] = labelNames.map(([name, color]) => {
    const id = rng.uuid();
    labelIds.set(name, id);
    return [o.tenantId, id, name, color, setupAt, setupAt];
  });
  const cannedRows: Value[][] = cannedResponseTexts.map(([shortcut, title, body]) => [o.tenantId, rng.uuid(), shortcut, title, body, setupAt, setupAt]);

  const people: Author[] = o.members.map((m) => ({ type: "user", id: m.id, name: m.name }));
  const team: Author = { type: "system", id: null, name: "Support team" };
  const contacts = new Contacts(rng);
  const callRows: Value[][] = [];
  const leadRows: Value[][] = [];
  const engagementRows: Value[][] = [];
  const engagementLabelRows: Value[][] = [];
  const messageRows: Value[][] = [];
  const eventRows: [string, string, string, number][] = [];
  let answered = 0;

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
      const contact = contacts.forHandle("phone", started, 0.6);
      callRows.push([
        o.tenantId,
        rng.uuid(),
        agentId,
        rng.chance(0.7) ? "inbound" : "outbound",
        contact.phone,
        status,
        new Date(started),
        new Date(ended),
        completed ? rng.pick(outcomes) : status === "failed" ? "Carrier error" : null,
        completed ? rng.weighted([["positive", 45], ["neutral", 40], ["negative", 15]] as const) : null,
        completed ? `Agent: Hello! How can I help you today?\nCustomer: ${fill(rng.pick(topics).customer[0]!, vars(rng, contact, until))}\nAgent: Let me check that for you.` : null,
        contact.id,
        new Date(started),
        new Date(ended),
      ]);
    }

    for (let n = rng.count(5 * load); n > 0; n--) {
      const created = moment(rng, dayStart);
      if (created >= until) continue;
      const age = (until - created) / DAY;
      const contact = contacts.forHandle(rng.chance(0.6) ? "email" : "phone", created, 0.3);
      leadRows.push([
        o.tenantId,
        rng.uuid(),
        contact.name ?? "Unknown",
        contact.phone,
        contact.email,
        rng.weighted(sources),
        age > 7
          ? rng.weighted([["new", 5], ["contacted", 25], ["qualified", 20], ["converted", 20], ["lost", 30]] as const)
          : rng.weighted([["new", 50], ["contacted", 35], ["qualified", 15]] as const),
        contact.id,
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
      const contact = contacts.forHandle(handleKindOf(channel), created, 0.45);
      const topic = rng.pick(topics);
      const assignee = status !== "new" && people.length && rng.chance(0.85) ? rng.pick(people) : null;
      // Who answers: an AI agent (text channels, when the tenant has one), handing over to a person in some threads.
      const ai = chatAgents.length && channel !== "voice" && rng.chance(0.35) ? rng.pick(chatAgents) : null;
      const human = assignee ?? (people.length ? rng.pick(people) : team);
      const length =
        status === "new" ? (rng.chance(0.2) ? 2 : 1) : ++answered % LONG_THREAD_EVERY === 20 ? LONG_THREAD_MESSAGES : rng.weighted(threadLengths);
      const id = rng.uuid();
      const v = vars(rng, contact, until);
      const customer: Author = { type: "customer", id: contact.id, name: contact.name ?? contact.handles.get(handleKindOf(channel))! };

      // The thread: the customer's message, then replies and the customer's answers interleaved, a note now and then.
      const pace = (length === LONG_THREAD_MESSAGES ? 60 : firstResponseMedian[channel]) * 1000;
      const thread: { kind: "inbound" | "outbound" | "note"; author: Author; body: string; at: number }[] = [];
      let at = created;
      let ci = 0;
      let ti = 0;
      let handedOver = ai === null;
      // Each note says something new: the topic's own first, then general ones.
      const notes = [...topic.notes, rng.pick(genericNotes)];
      let last: "inbound" | "outbound" = "inbound";
      for (let i = 0; i < length; i++) {
        let kind: "inbound" | "outbound" | "note";
        if (i === 0) kind = "inbound";
        else if (status === "new") kind = "inbound";
        else if (i === 1) kind = "outbound";
        else if (people.length && thread[i - 1]?.kind !== "note" && notes.length && rng.chance(0.08)) kind = "note";
        else kind = rng.chance(0.85) ? (last === "inbound" ? "outbound" : "inbound") : last;
        if (i > 0) {
          at += Math.max(1000, Math.round(Math.min(2 * DAY, rng.logNormal(kind === "note" ? pace / 4 : pace, 0.9))));
          if (at >= until) break;
        }
        if (kind === "inbound") {
          const body = last === "inbound" && i > 0 ? rng.pick(customerNudges) : (topic.customer[ci++] ?? rng.pick(customerFillers));
          thread.push({ kind, author: customer, body: fill(body, v), at });
        } else if (kind === "outbound") {
          if (!handedOver && ti >= 2 && rng.chance(0.4)) handedOver = true;
          const author = handedOver ? human : ai!;
          const script = last === "outbound" ? rng.pick(teamFollowUps) : (topic.team[ti++] ?? rng.pick(teamFillers));
          thread.push({ kind, author, body: fill(script, { ...v, agent: author.name.split(" ")[0]! }), at });
        } else {
          const author = assignee ?? rng.pick(people);
          thread.push({ kind, author, body: fill(notes.shift()!, v), at });
        }
        if (kind !== "note") last = kind;
      }
      const firstOutbound = thread.find((m) => m.kind === "outbound");
      const effective = status !== "new" && !firstOutbound ? "new" : status;
      const lastAt = thread[thread.length - 1]!.at;
      const resolved = effective === "resolved" ? Math.min(until - 1, lastAt + Math.round(rng.logNormal(600, 1) * 1000)) : null;
      const rated = resolved !== null && rng.chance(0.6);
      const csat = rated ? rng.weighted([[1, 5], [2, 8], [3, 17], [4, 35], [5, 35]] as const) : null;
      const byCustomer = rated && rng.chance(0.7);
      const lastHuman = [...thread].reverse().find((m) => m.kind === "outbound")?.author.name ?? "the team";
      engagementRows.push([
        o.tenantId,
        id,
        channel,
        contact.handles.get(handleKindOf(channel))!,
        channel === "email" ? topic.subject : null,
        effective,
        rng.weighted([["low", 20], ["normal", 60], ["high", 15], ["urgent", 5]] as const),
        effective === "new" ? null : (assignee?.id ?? null),
        firstOutbound ? new Date(firstOutbound.at) : null,
        resolved === null ? null : new Date(resolved),
        csat,
        rated ? (byCustomer ? "customer" : "agent") : null,
        byCustomer && rng.chance(0.4) ? fill(rng.pick(csatComments), { agent: lastHuman.split(" ")[0]! }) : null,
        contact.id,
        new Date(lastAt),
        new Date(created),
        new Date(Math.max(resolved ?? 0, lastAt)),
      ]);
      for (const m of thread) {
        messageRows.push([o.tenantId, rng.uuid(), id, m.kind, m.author.type, m.author.id, m.author.name, m.body, new Date(m.at)]);
      }
      const labels = new Set<string>();
      if (rng.chance(0.6)) labels.add(topic.label);
      if (rng.chance(0.04)) labels.add("vip");
      if (rng.chance(0.05)) labels.add(rng.pick(labelNames)[0]);
      for (const name of labels) engagementLabelRows.push([o.tenantId, id, labelIds.get(name)!]);
      eventRows.push([o.tenantId, id, "created", created]);
      if (firstOutbound) eventRows.push([o.tenantId, id, "updated", firstOutbound.at]);
      if (resolved !== null) eventRows.push([o.tenantId, id, "updated", resolved]);
    }
  }

  const contactRows: Value[][] = [];
  const handleRows: Value[][] = [];
  for (const c of contacts.all) {
    const at = new Date(c.createdAt);
    contactRows.push([o.tenantId, c.id, c.name, c.email, c.phone, at, at]);
    for (const [kind, value] of c.handles) handleRows.push([o.tenantId, rng.uuid(), c.id, kind, value, at]);
  }
  await bulkInsert(tx, "contacts", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["name", "text"], ["email", "text"], ["phone", "text"], ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ], contactRows);
  await bulkInsert(tx, "contact_handles", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["contact_id", "uuid"], ["kind", "contact_handle_kind"], ["value", "text"], ["created_at", "timestamptz"],
  ], handleRows);
  await bulkInsert(tx, "labels", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["name", "text"], ["color", "text"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ], labelRows);
  await bulkInsert(tx, "canned_responses", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["shortcut", "text"], ["title", "text"], ["body", "text"], ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ], cannedRows);
  await bulkInsert(tx, "calls", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["agent_id", "uuid"], ["direction", "call_direction"], ["customer_phone", "text"],
    ["status", "call_status"], ["started_at", "timestamptz"], ["ended_at", "timestamptz"], ["outcome", "text"],
    ["sentiment", "sentiment"], ["transcript", "text"], ["contact_id", "uuid"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ], callRows);
  await bulkInsert(tx, "leads", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["name", "text"], ["phone", "text"], ["email", "text"], ["source", "text"],
    ["status", "lead_status"], ["contact_id", "uuid"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ], leadRows);
  await bulkInsert(tx, "engagements", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["channel", "engagement_channel"], ["customer", "text"], ["subject", "text"],
    ["status", "engagement_status"], ["priority", "engagement_priority"], ["assigned_user_id", "uuid"],
    ["first_response_at", "timestamptz"], ["resolved_at", "timestamptz"], ["csat", "smallint"], ["csat_source", "csat_source"],
    ["csat_comment", "text"], ["contact_id", "uuid"], ["last_message_at", "timestamptz"], ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ], engagementRows);
  await bulkInsert(tx, "messages", [
    ["tenant_id", "uuid"], ["id", "uuid"], ["engagement_id", "uuid"], ["kind", "message_kind"], ["author_type", "message_author_type"],
    ["author_id", "uuid"], ["author_name", "text"], ["body", "text"], ["created_at", "timestamptz"],
  ], messageRows);
  await bulkInsert(tx, "engagement_labels", [["tenant_id", "uuid"], ["engagement_id", "uuid"], ["label_id", "uuid"]], engagementLabelRows);
  // Event ids follow time, as they would have live. (A `message` event is the live notice of a new message; the
  // generated history has the thread itself and keeps the created/updated log as before.)
  eventRows.sort((a, b) => a[3] - b[3]);
  await bulkInsert(tx, "engagement_events", [
    ["tenant_id", "uuid"], ["engagement_id", "uuid"], ["type", "engagement_event_type"], ["at", "timestamptz"],
  ], eventRows.map(([t, e, type, at]) => [t, e, type, new Date(at)]));

  return {
    agents: agentRows.length,
    contacts: contactRows.length,
    contactHandles: handleRows.length,
    calls: callRows.length,
    leads: leadRows.length,
    engagements: engagementRows.length,
    engagementEvents: eventRows.length,
    messages: messageRows.length,
    labels: labelRows.length,
    engagementLabels: engagementLabelRows.length,
    cannedResponses: cannedRows.length,
  };
}

const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** "March 3" (UTC); Intl's formatting costs more than the rest of a conversation. */
const monthDay = (d: Date) => `${months[d.getUTCMonth()]} ${d.getUTCDate()}`;
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** The placeholders of one conversation. */
function vars(rng: Rng, contact: Contact, until: number): Record<string, string> {
  let code = "";
  for (let i = 0; i < 10; i++) code += codeAlphabet[rng.int(0, codeAlphabet.length - 1)];
  return {
    name: contact.name?.split(" ")[0] ?? "there",
    agent: "the team",
    order: `#${rng.int(100_000, 999_999)}`,
    tracking: `1Z${code}`,
    amount: `$${rng.int(9, 199)}.${rng.pick(["00", "50", "99"])}`,
    date: monthDay(new Date(until - rng.int(1, 20) * DAY)),
    plan: rng.pick(plans),
  };
}
