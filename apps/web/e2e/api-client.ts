/**
 * A signed-in API client for a journey's setup and checks (what another person or an integration does meanwhile):
 * signs in with a demo account over `auth.login` on the bare host, then calls procedures with that session and
 * `x-tenant`, the way scripts do. Answers are typed by the caller from RouterOutputs (types only).
 */
import { DEMO_PASSWORD, port } from "./browser";

const base = () => `http://localhost:${port}/trpc`;

async function answer<T>(res: Response, what: string): Promise<T> {
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(body.error ?? body)}`);
  return body.result.data;
}

export interface ApiClient {
  query<T>(path: string, input?: unknown): Promise<T>;
  mutate<T>(path: string, input?: unknown): Promise<T>;
}

/** Signs in as `email` (the demo password) and returns a client acting in `tenant`. */
export async function apiAs(email: string, tenant: string): Promise<ApiClient> {
  const login = await fetch(`${base()}/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  await answer(login, `auth.login as ${email}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  const headers = { cookie, "x-tenant": tenant };
  return {
    async query<T>(path: string, input?: unknown) {
      const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return answer<T>(await fetch(`${base()}/${path}${qs}`, { headers }), path);
    },
    async mutate<T>(path: string, input?: unknown) {
      const res = await fetch(`${base()}/${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(input ?? null),
      });
      return answer<T>(res, path);
    },
  };
}
