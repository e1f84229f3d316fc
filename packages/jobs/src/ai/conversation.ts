/**
 * What the model is asked, and when a conversation goes to people instead. Pure functions: the job (reply-job.ts)
 * reads the thread and the settings, these decide.
 */
import type { ChatMessage } from "./provider";

/** The answer a model gives to hand the conversation over (it is told so in the system prompt). */
export const HANDOFF_MARKER = "[HANDOFF]";

/** The thread as the job reads it, oldest first. */
export interface ThreadEntry {
  kind: "inbound" | "outbound" | "note";
  authorType: "customer" | "user" | "ai_agent" | "system";
  body: string;
}

export interface AgentPrompt {
  prompt: string;
  greeting?: string | undefined;
  language: string;
}

/** How much of a long thread is sent: its newest messages up to these bounds. */
export const MAX_THREAD_MESSAGES = 40;
const MAX_THREAD_CHARS = 24_000;

/**
 * The agent's prompt and rules as the system message, its greeting as the first assistant turn, then the thread:
 * the customer's messages as `user`, every reply (the agent's and people's) as `assistant`. Internal notes and
 * system lines are the team's and never reach the model.
 */
export function buildPrompt(agent: AgentPrompt, channel: string, thread: ThreadEntry[]): ChatMessage[] {
  const system =
    `${agent.prompt}\n\n` +
    `You are answering a customer in a ${channel} conversation. Answer in the customer's language (default: ${agent.language}), briefly and in plain text. ` +
    `If the customer asks for a person, or you cannot help, answer with exactly ${HANDOFF_MARKER} and nothing else: the conversation then goes to the team.`;
  const turns: ChatMessage[] = [];
  let chars = 0;
  for (const m of [...thread].reverse()) {
    if (m.kind === "note") continue;
    if (turns.length >= MAX_THREAD_MESSAGES || chars + m.body.length > MAX_THREAD_CHARS) break;
    chars += m.body.length;
    turns.push({ role: m.kind === "inbound" ? "user" : "assistant", content: m.body });
  }
  turns.reverse();
  const greeting = agent.greeting?.trim();
  return [{ role: "system", content: system }, ...(greeting ? [{ role: "assistant" as const, content: greeting }] : []), ...turns];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A keyword or phrase as a whole word, whatever the case (`refund` matches "Refund!" but not "refunded"). */
export function mentions(text: string, keyword: string): boolean {
  const words = keyword.trim().split(/\s+/).map(escapeRegExp).join("\\s+");
  return words.length > 0 && new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, "iu").test(text);
}

/** Ways customers ask for a person (English), on top of the tenant's own keywords. */
const askingForAPerson = [
  "human",
  "a real person",
  "real human",
  "live agent",
  "real agent",
  "live person",
  "representative",
  "operator",
  "customer service agent",
  "speak to someone",
  "speak with someone",
  "talk to someone",
  "talk with someone",
  "speak to a person",
  "talk to a person",
  "speak to an agent",
  "talk to an agent",
];

export type HandoffReason = "keyword" | "asked for a person" | "max turns" | "provider error" | "model handed off" | "no agent";

/** The customer's newest words decide first: a tenant keyword, or asking for a person. */
export function handoffFromCustomer(text: string, keywords: string[]): HandoffReason | null {
  if (keywords.some((k) => mentions(text, k))) return "keyword";
  if (askingForAPerson.some((p) => mentions(text, p))) return "asked for a person";
  return null;
}

/** The model chose to hand over (it answered the marker, perhaps with words around it). */
export const modelHandsOff = (answer: string) => answer.includes(HANDOFF_MARKER);

/** The line the team reads in the thread (a note: never sent to the customer). */
export function handoffNote(reason: HandoffReason, detail?: string): string {
  const why: Record<HandoffReason, string> = {
    keyword: "the customer used a handoff keyword",
    "asked for a person": "the customer asked for a person",
    "max turns": "the AI agent reached its maximum number of answers",
    "provider error": "the AI provider failed",
    "model handed off": "the AI agent could not help",
    "no agent": "no chat agent is set to answer",
  };
  return `AI agent handed this conversation to the team: ${why[reason]}${detail ? ` (${detail})` : ""}.`;
}
