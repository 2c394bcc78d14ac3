import { describe, expect, it } from "vitest";
import { decodeServerEvent } from "../../src/protocol/events";
import { reduce } from "../../src/state/reducer";
import { currentPath, INITIAL_SESSION, type SessionState } from "../../src/state/session";

const TREE = {
  type: "branches_updated",
  current_branch_id: "storm",
  branches: [
    {
      branch_id: "b0",
      parent_branch_id: null,
      parent_segment_idx: null,
      segments: [0, 1, 2].map((i) => ({
        segment_idx: i + 1,
        prompt: `p${i}`,
        seed: 10 + i,
        duration_s: 1,
        is_stored: i > 0,
      })),
      duration_s: 3,
    },
    {
      branch_id: "storm",
      parent_branch_id: "b0",
      parent_segment_idx: 2, // the wire counts from 1; the app from 0
      segments: [{ segment_idx: 3, prompt: "a storm", seed: 12, duration_s: 0.5, is_stored: true }],
      duration_s: 2.5,
    },
    "not a branch",
  ],
};

describe("branches", () => {
  it("decodes branches_updated, skipping malformed entries", () => {
    const ev = decodeServerEvent(JSON.stringify(TREE));
    expect(
      ev.type === "branches_updated" &&
        ev.branches.map((b) => [b.branchId, b.parentBranchId, b.parentSegmentIdx]),
    ).toEqual([
      ["b0", null, null],
      ["storm", "b0", 1],
    ]);
    expect(ev.type === "branches_updated" && ev.branches[0]?.segments[0]).toEqual({
      segmentIdx: 0,
      prompt: "p0",
      seed: 10,
      durationS: 1,
      isStored: false,
    });
  });

  it("keeps the tree, tags new segments with the current branch and walks its timeline across the fork", () => {
    let s: SessionState = reduce(INITIAL_SESSION, decodeServerEvent(JSON.stringify(TREE)), 0);
    expect(s.currentBranchId).toBe("storm");
    expect(currentPath(s)).toEqual([
      { branchId: "b0", segmentIdx: 0 },
      { branchId: "b0", segmentIdx: 1 },
      { branchId: "storm", segmentIdx: 2 },
    ]);
    s = reduce(
      s,
      {
        type: "ltx2_segment_start",
        segmentIdx: 3,
        totalSegments: 6,
        prompt: "x",
        source: "curated",
        seedPromptIndex: null,
      },
      0,
    );
    expect(s.segments.at(-1)?.branchId).toBe("storm");
    s = reduce(s, decodeServerEvent(JSON.stringify({ ...TREE, current_branch_id: "b0" })), 0);
    expect(currentPath(s).map((p) => p.segmentIdx)).toEqual([0, 1, 2]);
    expect(currentPath(s).every((p) => p.branchId === "b0")).toBe(true);
  });
});
