import { describe, expect, it, vi } from "vitest";
import { formatClock, timeLeftS, truncate } from "../../src/state/selectors";
import { INITIAL_SESSION } from "../../src/state/session";
import { createStore } from "../../src/state/store";

describe("createStore", () => {
  it("notifies subscribers with the new and previous values, only on change", () => {
    const store = createStore({ n: 1 });
    const seen = vi.fn();
    const off = store.subscribe(seen);
    const same = store.get();
    store.set(same);
    expect(seen).not.toHaveBeenCalled();
    store.update((s) => ({ n: s.n + 1 }));
    expect(seen).toHaveBeenCalledWith({ n: 2 }, { n: 1 });
    off();
    store.set({ n: 3 });
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it("watch fires once now and then only when the slice changes", () => {
    const store = createStore({ a: 1, b: 1 });
    const seen: number[] = [];
    store.watch(
      (s) => s.a,
      (a) => seen.push(a),
    );
    store.set({ a: 1, b: 2 });
    store.set({ a: 5, b: 2 });
    expect(seen).toEqual([1, 5]);
  });
});

describe("selectors", () => {
  it("formats the time left", () => {
    expect(formatClock(125)).toBe("2:05");
    expect(timeLeftS({ ...INITIAL_SESSION, deadlineMs: 10_000 }, 4_400)).toBe(6);
    expect(timeLeftS({ ...INITIAL_SESSION, deadlineMs: 10_000 }, 20_000)).toBe(0);
    expect(timeLeftS(INITIAL_SESSION, 0)).toBeNull();
  });

  it("truncates with an ellipsis", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });
});
