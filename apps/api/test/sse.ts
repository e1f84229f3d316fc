/** A minimal Server-Sent Events reader over fetch (Node 20 has no EventSource; fetch cannot resolve *.localhost). */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseStream {
  status: number;
  headers: Record<string, string>;
  events: SseEvent[];
  /** Data events (tRPC yields), without connected/ping/return. */
  messages(): { id: string | null; data: unknown }[];
  waitFor(predicate: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let finished = false;
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { id: null, event: "message", data: "", receivedAt: Date.now() };
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const i = line.indexOf(":");
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
            if (field === "id") e.id = value;
            else if (field === "event") e.event = value;
            else if (field === "data") e.data += (e.data ? "\n" : "") + value;
          }
          events.push(e);
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      finished = true;
      for (const w of waiters) w();
    }
  })();
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    events,
    messages: () => events.filter((e) => e.event === "message").map((e) => ({ id: e.id, data: JSON.parse(e.data) })),
    waitFor(predicate, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) return done(() => resolve(found));
          if (finished) return done(() => reject(new Error(`stream ended; got ${JSON.stringify(events.map((e) => e.event))}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timed out; got ${JSON.stringify(events.map((e) => [e.event, e.data.slice(0, 80)]))}`))),
          timeoutMs,
        );
        const done = (fn: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      });
    },
    ended,
    close: () => abort.abort(),
  };
}
