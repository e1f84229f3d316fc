import { describe, expect, it, vi } from "vitest";
import { cursorPages } from "./cursor-pages";

describe("cursorPages", () => {
  it("sends exactly the input plus the cursor (no extra keys the API would refuse)", async () => {
    const fetchPage = vi.fn().mockResolvedValue({ items: [], nextCursor: "next" });
    const options = cursorPages(["k"], { status: "new", limit: 25 }, fetchPage);
    await options.queryFn({ pageParam: undefined });
    expect(fetchPage).toHaveBeenLastCalledWith({ status: "new", limit: 25 });
    await options.queryFn({ pageParam: "abc" });
    expect(fetchPage).toHaveBeenLastCalledWith({ status: "new", limit: 25, cursor: "abc" });
    expect(options.getNextPageParam({ nextCursor: null })).toBeUndefined();
    expect(options.getNextPageParam({ nextCursor: "n" })).toBe("n");
  });
});
