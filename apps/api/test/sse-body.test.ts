import { describe, expect, it } from "vitest";
import { SseBody } from "../src/plugins/events";

describe("SseBody (the live-events response body)", () => {
  it("releases every send waiting for a slow client once it reads — a ping and an event frame may wait together", async () => {
    const body = new SseBody();
    const big = Buffer.alloc(64 * 1024, "x");
    expect(body.send(big)).toBeInstanceOf(Promise); // past the buffer: waits for the client
    const done: string[] = [];
    const ping = (body.send("event: ping\ndata: \n\n\n") as Promise<void>).then(() => done.push("ping"));
    const frame = (body.send("data: {}\nid: 1\n\n\n") as Promise<void>).then(() => done.push("frame"));
    let bytes = 0;
    body.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await Promise.all([ping, frame]);
    expect(done.sort()).toEqual(["frame", "ping"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(bytes).toBe(big.length + "event: ping\ndata: \n\n\n".length + "data: {}\nid: 1\n\n\n".length);
  });

  it("releases waiting sends when the response closes, and ignores sends after it", async () => {
    const body = new SseBody();
    const first = body.send(Buffer.alloc(64 * 1024));
    const waiting = body.send("data: {}\n\n\n") as Promise<void>;
    body.destroy();
    await Promise.all([first, waiting]);
    expect(body.send("data: {}\n\n\n")).toBeUndefined();
  });
});
