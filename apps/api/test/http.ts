/** Real-socket requests with node:http (keep-alive agents, raw headers), for what `inject` cannot show. */
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The request went out on a connection an earlier request had used (keep-alive reuse). */
  reused: boolean;
  /** The client's local port: the same port means the same TCP connection. */
  localPort: number;
}

export function rawRequest(
  port: number,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: opts.path, method: opts.method ?? "GET", headers: opts.headers, agent: opts.agent },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: res.headers, body, reused: req.reusedSocket, localPort: req.socket!.localPort! }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** POST a tRPC mutation the way a browser on `host` would. */
export function rawMutation(port: number, path: string, input: unknown, opts: { host: string; cookie?: string; agent?: http.Agent }) {
  return rawRequest(port, {
    path: `/trpc/${path}`,
    method: "POST",
    agent: opts.agent,
    headers: {
      "content-type": "application/json",
      host: opts.host,
      origin: `http://${opts.host}`,
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
    },
    body: JSON.stringify(input),
  });
}
