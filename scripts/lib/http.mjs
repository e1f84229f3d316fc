// Minimal HTTP client for scripts: node:http with an explicit Host header (Node's fetch cannot resolve
// *.localhost, and tenant routing needs the Host), JSON in and out, tRPC helpers.
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function request({ port, host = "localhost", method = "GET", path, headers = {}, body, timeoutMs = 10_000 }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: {
          host: `${host}:${port}`,
          ...(payload ? { "content-type": "application/json", origin: `http://${host}:${port}` } : {}),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export const cookieOf = (res) => {
  const raw = [res.headers["set-cookie"] ?? []].flat().find((c) => c.includes("sb_session="));
  return raw ? raw.split(";")[0] : null;
};

export function trpcQuery(opts, path, input) {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return request({ ...opts, path: `/trpc/${path}${qs}` });
}

export function trpcMutation(opts, path, input) {
  return request({ ...opts, method: "POST", path: `/trpc/${path}`, body: input ?? {} });
}

export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Opens a tRPC SSE subscription and collects its data events ({ id, data, at }). */
export function openSse({ port, host = "localhost", path, headers = {} }) {
  const events = [];
  const waiters = [];
  let req;
  const opened = new Promise((resolve, reject) => {
    req = http.request(
      { host: "127.0.0.1", port, path, headers: { host: `${host}:${port}`, accept: "text/event-stream", ...headers } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
            );
            if (fields.event === "connected") resolve();
            if (fields.data === undefined || fields.event) continue;
            const event = { id: fields.id ?? null, data: JSON.parse(fields.data), at: performance.now() };
            events.push(event);
            for (const w of waiters.splice(0)) w();
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
  return {
    events,
    opened,
    /** Resolves with the first event matching `predicate`, or null after `timeoutMs`. */
    waitFor(predicate, timeoutMs = 2000) {
      return new Promise((resolve) => {
        const done = (v) => {
          clearTimeout(timer);
          resolve(v);
        };
        const check = () => {
          const hit = events.find(predicate);
          if (hit) return done(hit);
          waiters.push(check);
        };
        const timer = setTimeout(() => resolve(null), timeoutMs);
        check();
      });
    },
    close: () => req.destroy(),
  };
}
