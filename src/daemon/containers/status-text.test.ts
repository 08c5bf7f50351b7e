import assert from "node:assert/strict";
import { test } from "node:test";
import { initialState } from "./record.js";
import { statusText } from "./status-text.js";

const now = Date.parse("2026-01-01T12:00:00Z");

test("statusText matches docker ps wording", () => {
  assert.equal(statusText({ state: initialState() }, now), "Created");
  const running = { ...initialState(), status: "running" as const, startedAt: "2026-01-01T11:57:00Z" };
  assert.equal(statusText({ state: running }, now), "Up 3 minutes");
  assert.equal(
    statusText({ state: running, health: { status: "starting", failingStreak: 0, log: [] } }, now),
    "Up 3 minutes (health: starting)",
  );
  assert.equal(statusText({ state: { ...running, status: "paused" } }, now), "Up 3 minutes (Paused)");
  const exited = {
    ...initialState(),
    status: "exited" as const,
    exitCode: 1,
    finishedAt: "2026-01-01T11:57:00Z",
  };
  assert.equal(statusText({ state: exited }, now), "Exited (1) 3 minutes ago");
});
