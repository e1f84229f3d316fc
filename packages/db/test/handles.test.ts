import { describe, expect, it } from "vitest";
import { handleKindOf, normaliseHandle } from "../src/handles";

describe("normaliseHandle", () => {
  it("writes one phone number one way, however it was typed", () => {
    for (const typed of ["+1 (555) 000-1111", "+15550001111", " +1 555.000.1111 ", "001 555 000 1111"]) {
      expect(normaliseHandle("phone", typed), typed).toBe("+15550001111");
    }
    expect(normaliseHandle("phone", "+44 20 7946 0958")).toBe("+442079460958");
  });

  it("keeps the digits of a number without a country code", () => {
    expect(normaliseHandle("phone", "(555) 000-1111")).toBe("5550001111");
  });

  it("lower-cases e-mail addresses and @handles; trims other ids", () => {
    expect(normaliseHandle("email", "  Ada@Example.COM ")).toBe("ada@example.com");
    expect(normaliseHandle("twitter", "@AdaLovelace")).toBe("@adalovelace");
    expect(normaliseHandle("twitter", "AdaLovelace")).toBe("@adalovelace");
    expect(normaliseHandle("facebook", " 1000123 ")).toBe("1000123");
    expect(normaliseHandle("chat", "   ")).toBeNull();
    expect(normaliseHandle("twitter", "@")).toBeNull();
  });

  it("maps channels to the kind of handle they use", () => {
    expect(handleKindOf("whatsapp")).toBe("phone");
    expect(handleKindOf("voice")).toBe("phone");
    expect(handleKindOf("email")).toBe("email");
    expect(handleKindOf("chat")).toBe("chat");
  });
});
