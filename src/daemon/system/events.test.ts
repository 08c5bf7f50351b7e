import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventMessage } from "../../api/types/system.js";
import { BerthError } from "../../lib/errors.js";
import { EventBus } from "./events.js";

/** A clock that advances one second per reading, starting at t0 seconds. */
function steppingClock(t0: number): () => bigint {
  let t = BigInt(t0) * 1_000_000_000n;
  return () => {
    const now = t;
    t += 1_000_000_000n;
    return now;
  };
}

const start = (id: string, extra: Record<string, string> = {}) =>
  ({
    Type: "container",
    Action: "start",
    Actor: { ID: id, Attributes: { name: id, image: "busybox", ...extra } },
  }) as const;

describe("EventBus", () => {
  it("EventBus.publish stamps time, timeNano, scope and Docker's legacy fields", () => {
    const bus = new EventBus({ now: () => 1_700_000_000_123_456_789n });
    const e = bus.publish(start("c1"));
    assert.equal(e.time, 1_700_000_000);
    assert.equal(e.timeNano, Number(1_700_000_000_123_456_789n));
    assert.equal(e.scope, "local");
    assert.equal(e.status, "start");
    assert.equal(e.id, "c1");
    assert.equal(e.from, "busybox");
    const n = bus.publish({ Type: "network", Action: "create", Actor: { ID: "n1" } });
    assert.equal(n.status, undefined);
    assert.deepEqual(n.Actor.Attributes, {});
  });

  it("EventBus.publish keeps timestamps strictly increasing under a stalled clock", () => {
    const bus = new EventBus({ now: () => 5_000_000_000n });
    bus.publish(start("a"));
    bus.publish(start("b"));
    const sub = bus.subscribe({ since: 5_000_000_001n }, () => {});
    assert.deepEqual(
      sub.history.map((e) => e.Actor.ID),
      ["b"],
    );
  });

  it("EventBus.subscribe delivers matching live events until closed", () => {
    const bus = new EventBus();
    const got: EventMessage[] = [];
    const sub = bus.subscribe({ filters: { type: ["container"] } }, (e) => got.push(e));
    assert.equal(bus.listenerCount, 1);
    bus.publish(start("c1"));
    bus.publish({ Type: "image", Action: "pull", Actor: { ID: "busybox" } });
    sub.close();
    sub.close();
    bus.publish(start("c2"));
    assert.deepEqual(
      got.map((e) => e.Actor.ID),
      ["c1"],
    );
    assert.equal(bus.listenerCount, 0);
  });

  it("EventBus.subscribe replays history only when since or until is given", () => {
    const bus = new EventBus({ now: steppingClock(100) });
    bus.publish(start("t100"));
    bus.publish(start("t101"));
    bus.publish(start("t102"));
    const ids = (o: Parameters<EventBus["subscribe"]>[0]) =>
      bus.subscribe(o, () => {}).history.map((e) => e.Actor.ID);
    assert.deepEqual(ids({}), []);
    assert.deepEqual(ids({ since: 101_000_000_000n }), ["t101", "t102"]);
    assert.deepEqual(ids({ until: 101_000_000_000n }), ["t100", "t101"]);
    assert.deepEqual(ids({ since: 101_000_000_000n, until: 101_000_000_000n }), ["t101"]);
    assert.deepEqual(ids({ since: 0n, filters: { container: ["t102"] } }), ["t102"]);
  });

  it("EventBus keeps only the newest `capacity` events", () => {
    const bus = new EventBus({ capacity: 3, now: steppingClock(1) });
    for (let i = 0; i < 7; i++) bus.publish(start(`c${i}`));
    assert.deepEqual(
      bus.buffered().map((e) => e.Actor.ID),
      ["c4", "c5", "c6"],
    );
    assert.deepEqual(
      bus.subscribe({ since: 0n }, () => {}).history.map((e) => e.Actor.ID),
      ["c4", "c5", "c6"],
    );
  });

  it("EventBus.subscribe rejects unknown filter keys before registering", () => {
    const bus = new EventBus();
    assert.throws(
      () => bus.subscribe({ filters: { nope: ["x"] } }, () => {}),
      (e: unknown) => e instanceof BerthError && e.kind === "invalid-argument",
    );
    assert.equal(bus.listenerCount, 0);
  });

  it("EventBus.publish survives a throwing subscriber and still reaches the others", () => {
    const bus = new EventBus();
    let reached = 0;
    bus.subscribe({}, () => {
      throw new Error("subscriber bug");
    });
    bus.subscribe({}, () => reached++);
    bus.publish(start("c1"));
    assert.equal(reached, 1);
  });

  it("EventBus.subscribe tolerates closing from inside the callback", () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const sub = bus.subscribe({}, (e) => {
      seen.push(e.Actor.ID);
      sub.close();
    });
    bus.publish(start("a"));
    bus.publish(start("b"));
    assert.deepEqual(seen, ["a"]);
  });
});
