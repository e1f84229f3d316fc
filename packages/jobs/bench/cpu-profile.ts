// A V8 CPU profile of the running process, for the benchmarks' --profile options (open it in Chrome's DevTools).
import { Session } from "node:inspector";

/** A V8 CPU profile of this process, from now until `stop`. */
export async function startProfile() {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post("Profiler.enable");
  await post("Profiler.start");
  return { stop: async () => ((await post("Profiler.stop")) as { profile: object }).profile };
}

