import { beforeEach, describe, expect, it } from "vitest";
import { isUnread, markOpened } from "./inbox-seen";

const seen = (since: string, opened: Record<string, string> = {}) => ({ since, opened });

describe("isUnread", () => {
  it("a message after the user last opened the conversation is unread; before it, or without messages, not", () => {
    const s = seen("2030-01-01T00:00:00.000Z", { a: "2030-01-02T00:00:00.000Z" });
    expect(isUnread(s, { id: "a", lastMessageAt: "2030-01-03T00:00:00.000Z" })).toBe(true);
    expect(isUnread(s, { id: "a", lastMessageAt: "2030-01-01T12:00:00.000Z" })).toBe(false);
    expect(isUnread(s, { id: "a", lastMessageAt: null })).toBe(false);
  });

  it("history from before the inbox was first watched is not unread", () => {
    const s = seen("2030-01-05T00:00:00.000Z");
    expect(isUnread(s, { id: "old", lastMessageAt: "2030-01-04T00:00:00.000Z" })).toBe(false);
    expect(isUnread(s, { id: "new", lastMessageAt: "2030-01-06T00:00:00.000Z" })).toBe(true);
  });
});

describe("markOpened", () => {
  beforeEach(() => localStorage.clear());

  it("remembers per scope, in this browser, and never moves back", () => {
    markOpened("acme.u1", "a", "2099-01-02T00:00:00.000Z");
    markOpened("acme.u1", "a", "2099-01-01T00:00:00.000Z");
    const stored = JSON.parse(localStorage.getItem("sb.inbox-seen.acme.u1")!) as { opened: Record<string, string> };
    expect(stored.opened.a).toBe("2099-01-02T00:00:00.000Z");
    expect(localStorage.getItem("sb.inbox-seen.acme.u2")).toBeNull();
  });
});
