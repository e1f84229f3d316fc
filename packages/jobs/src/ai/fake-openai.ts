/**
 * A local OpenAI-compatible chat-completions server for tests (`@switchboard/jobs/fake-openai`): it answers
 * `POST …/chat/completions` like OpenAI, vLLM and Ollama do, and checks the request's shape on the way (method,
 * JSON content type, the bearer key when one is expected, `{ model, messages: [{ role, content }], stream: false }`
 * with the system message first). A request of the wrong shape gets 400 and is listed in `problems()`, so a test
 * asserting `problems()` is empty proves every request was well formed.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: { model: string; messages: { role: string; content: string }[]; stream?: boolean };
}

export interface FakeOpenAiOptions {
  /** The bearer key every request must carry; null: none may be sent. Undefined: not checked. */
  apiKey?: string | null;
  /** The answer's text (default: "Answer N" counting requests). */
  reply?: (req: FakeRequest, n: number) => string;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>/v1`: an agent's baseUrl or AI_BASE_URL. */
  baseUrl: string;
  requests(): FakeRequest[];
  problems(): string[];
  /** The next `times` requests get this HTTP status (an OpenAI-style error body). */
  failNext(status: number, times?: number): void;
  /** The next request gets no answer until the server closes (a provider that hangs). */
  hangNext(): void;
  /** The next answer's text. */
  answerNext(content: string): void;
  close(): Promise<void>;
}

const roles = new Set(["system", "user", "assistant"]);

function shapeProblems(req: http.IncomingMessage, raw: string, opts: FakeOpenAiOptions): string[] {
  const problems: string[] = [];
  if (req.method !== "POST") problems.push(`method ${req.method}`);
  if (!req.url?.endsWith("/chat/completions")) problems.push(`path ${req.url}`);
  if (!String(req.headers["content-type"]).startsWith("application/json")) problems.push("content-type is not JSON");
  const auth = req.headers.authorization;
  if (opts.apiKey !== undefined && auth !== (opts.apiKey === null ? undefined : `Bearer ${opts.apiKey}`)) {
    problems.push(auth ? "wrong bearer key" : "no bearer key");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return [...problems, "body is not JSON"];
  }
  const b = body as FakeRequest["body"];
  if (typeof b.model !== "string" || !b.model) problems.push("model missing");
  if (b.stream !== undefined && b.stream !== false) problems.push("stream must be false");
  if (!Array.isArray(b.messages) || b.messages.length === 0) return [...problems, "messages missing"];
  if (b.messages[0]!.role !== "system") problems.push("the first message is not the system prompt");
  for (const m of b.messages) {
    if (!roles.has(m.role) || typeof m.content !== "string" || Object.keys(m).length !== 2) problems.push(`bad message ${JSON.stringify(m)}`);
  }
  return problems;
}

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: FakeRequest[] = [];
  const problems: string[] = [];
  const failures: number[] = [];
  const answers: string[] = [];
  const hanging: http.ServerResponse[] = [];
  let hang = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const found = shapeProblems(req, raw, opts);
      const send = (status: number, body: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (found.length > 0) {
        problems.push(...found);
        return send(400, { error: { message: found.join("; "), type: "invalid_request_error" } });
      }
      const parsed = { path: req.url!, headers: req.headers, body: JSON.parse(raw) as FakeRequest["body"] };
      requests.push(parsed);
      if (hang > 0) {
        hang -= 1;
        hanging.push(res);
        return;
      }
      const status = failures.shift();
      if (status) return send(status, { error: { message: `fake failure ${status}`, type: "server_error" } });
      const content = answers.shift() ?? opts.reply?.(parsed, requests.length) ?? `Answer ${requests.length}`;
      send(200, {
        id: `chatcmpl-${requests.length}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: parsed.body.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage: { ...(opts.usage ?? { prompt_tokens: 42, completion_tokens: 7 }), total_tokens: 0 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => [...requests],
    problems: () => [...problems],
    failNext: (status, times = 1) => failures.push(...Array.from({ length: times }, () => status)),
    hangNext: () => void (hang += 1),
    answerNext: (content) => void answers.push(content),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
