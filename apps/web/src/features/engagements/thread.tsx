import { useEffect, useRef } from "react";
import { Badge } from "../../components/ui/badge";
import { cn } from "../../components/ui/cn";
import { formatDateTime, formatRelative } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";

export type Message = RouterOutputs["messages"]["list"]["items"][number];

/** Who wrote a message, as a person reads it: the customer, a teammate, an AI agent, the system, or a note. */
function entryKind(m: Pick<Message, "kind" | "author">): "customer" | "agent" | "ai_agent" | "note" | "system" {
  // System lines first: the AI's handoff is a note written by the system, shown as a line, not as a teammate's note.
  if (m.author.type === "system") return "system";
  if (m.kind === "note") return "note";
  if (m.author.type === "ai_agent") return "ai_agent";
  return m.kind === "inbound" ? "customer" : "agent";
}

/**
 * A message's text, or why it has none: a `redacted` message lost its body to the tenant's retention setting, or to
 * the erasure of its customer (then the whole conversation is `erased`). Who wrote it and when stay.
 */
function Body({ m, erased, className }: { m: Message; erased: boolean; className: string }) {
  if (m.redacted) {
    return (
      <p data-redacted="true" className={cn(className, "text-slate-600 italic")}>
        {erased ? "Erased at the customer's request" : "Text removed by the retention policy"}
      </p>
    );
  }
  return <p className={cn(className, "whitespace-pre-wrap text-slate-900")}>{m.body}</p>;
}

function Time({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatDateTime(at)} className="text-xs text-slate-600">
      {formatRelative(at)}
    </time>
  );
}

/** One entry of the thread: customer on the left, the team on the right, notes marked internal, system lines centred. */
function Entry({ m, erased }: { m: Message; erased: boolean }) {
  const kind = entryKind(m);
  if (kind === "system") {
    return (
      <li data-entry="system" className="flex justify-center">
        <p className="rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-700">
          {m.redacted ? <span className="italic">{erased ? "Erased" : "Removed"}</span> : m.body} · <Time at={m.createdAt} />
        </p>
      </li>
    );
  }
  if (kind === "note") {
    return (
      <li data-entry="note" aria-label={`Internal note by ${m.author.name ?? "a teammate"}`} className="rounded-lg border border-dashed border-amber-400 bg-amber-50 px-3 py-2">
        <p className="flex flex-wrap items-center gap-2 text-xs font-medium text-amber-900">
          <span>Internal note · not sent to the customer</span>
          <span className="text-slate-700">{m.author.name ?? "Teammate"}</span>
          <Time at={m.createdAt} />
        </p>
        <Body m={m} erased={erased} className="mt-1 text-sm" />
      </li>
    );
  }
  const mine = kind !== "customer";
  return (
    <li data-entry={kind} className={cn("flex flex-col", mine ? "items-end" : "items-start")}>
      <div
        className={cn(
          "max-w-[85%] rounded-2xl px-3 py-2",
          kind === "customer" && "rounded-tl-sm bg-slate-100",
          kind === "agent" && "rounded-tr-sm bg-sky-50 ring-1 ring-sky-200",
          kind === "ai_agent" && "rounded-tr-sm bg-violet-50 ring-1 ring-violet-200",
        )}
      >
        <p className="flex flex-wrap items-center gap-2 text-xs font-medium text-slate-700">
          <span>{m.author.name ?? (kind === "customer" ? "Customer" : "Teammate")}</span>
          {kind === "ai_agent" && <Badge tone="neutral">AI agent</Badge>}
          <Time at={m.createdAt} />
        </p>
        <Body m={m} erased={erased} className="mt-0.5 text-sm" />
      </div>
      {m.delivery && <DeliveryState delivery={m.delivery} />}
    </li>
  );
}

const deliveryLabels = { queued: "Sending…", sent: "Sent", delivered: "Delivered", failed: "Not delivered", undelivered: "Not delivered" } as const;

/** How a reply sent by SMS or WhatsApp (through Twilio) fared, under it; a failure says Twilio's reason. */
function DeliveryState({ delivery }: { delivery: NonNullable<Message["delivery"]> }) {
  const failed = delivery.status === "failed" || delivery.status === "undelivered";
  return (
    <p data-delivery={delivery.status} className={cn("mt-1 max-w-[85%] text-xs", failed ? "text-red-700" : "text-slate-600")}>
      {deliveryLabels[delivery.status]}
      {failed && delivery.error ? `: ${delivery.error}` : ""}
    </p>
  );
}

/** Replies on their way (not yet delivered or failed), sent in the last 10 minutes: worth asking again for news. */
export function awaitingDelivery(messages: readonly Pick<Message, "delivery" | "createdAt">[], now = Date.now()): boolean {
  return messages.some(
    (m) => (m.delivery?.status === "queued" || m.delivery?.status === "sent") && now - new Date(m.createdAt).getTime() < 10 * 60_000,
  );
}

/**
 * The conversation, oldest first (`erased`: its customer was erased, so texts without a body say so); new entries are announced politely, and the newest is scrolled into view when the
 * thread loads or grows (with room left for the sticky composer below it).
 */
export function Thread({ messages, erased = false }: { messages: readonly Message[]; erased?: boolean }) {
  const list = useRef<HTMLOListElement>(null);
  const shown = useRef(0);
  useEffect(() => {
    if (messages.length > shown.current) list.current?.lastElementChild?.scrollIntoView?.({ block: "nearest" });
    shown.current = messages.length;
  }, [messages.length]);
  return (
    <div role="log" aria-label="Conversation" aria-live="polite">
      <ol ref={list} className="space-y-3 [&>li]:scroll-mb-56">
        {messages.map((m) => (
          <Entry key={m.id} m={m} erased={erased} />
        ))}
      </ol>
    </div>
  );
}

/** A live message added to the loaded thread: once, and only when the thread is loaded to its end. */
export function appendMessage<P>(
  data: { pages: { items: Message[]; nextCursor: string | null }[]; pageParams: P[] } | undefined,
  m: Message,
) {
  if (!data || data.pages.length === 0) return data;
  if (data.pages.some((p) => p.items.some((i) => i.id === m.id))) return data;
  if (data.pages.at(-1)!.nextCursor !== null) return data;
  return { ...data, pages: data.pages.map((p, i) => (i === data.pages.length - 1 ? { ...p, items: [...p.items, m] } : p)) };
}
