import assert from "node:assert/strict";
import { test } from "node:test";
import { isKind } from "../../lib/errors.js";
import { liveResources, mergeUpdate } from "./update-resources.js";

const MiB = 1024 * 1024;

test("mergeUpdate changes only the fields given (0 and '' leave them)", () => {
  const h = {
    Memory: 10 * MiB,
    CpuShares: 512,
    RestartPolicy: { Name: "no" as const, MaximumRetryCount: 0 },
  };
  const out = mergeUpdate(h, { Memory: 20 * MiB, CpuShares: 0, CpusetCpus: "", RestartPolicy: { Name: "" } });
  assert.deepEqual(out, { ...h, Memory: 20 * MiB });
  assert.deepEqual(
    mergeUpdate(h, { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 } }).RestartPolicy,
    {
      Name: "on-failure",
      MaximumRetryCount: 3,
    },
  );
  assert.equal(mergeUpdate(h, { PidsLimit: 0 }).PidsLimit, 0);
  assert.equal(mergeUpdate(h, { PidsLimit: null }).PidsLimit, undefined);
});

test("mergeUpdate: Docker's memory checks", () => {
  assert.throws(() => mergeUpdate({}, { Memory: MiB }), /Minimum memory limit allowed is 6MB/);
  const explicitSwap = { Memory: 10 * MiB, MemorySwap: 20 * MiB };
  assert.throws(
    () => mergeUpdate(explicitSwap, { Memory: 30 * MiB }),
    (e) => isKind(e, "conflict") && /memoryswap limit/.test(String(e)),
  );
  assert.equal(mergeUpdate(explicitSwap, { Memory: 30 * MiB, MemorySwap: 60 * MiB }).Memory, 30 * MiB);
  assert.equal(mergeUpdate({ Memory: 10 * MiB }, { Memory: 30 * MiB }).Memory, 30 * MiB);
  assert.throws(() => mergeUpdate({}, { MemorySwap: 20 * MiB }), /always set the Memory limit/);
  assert.throws(
    () => mergeUpdate({ Memory: 30 * MiB }, { MemorySwap: 20 * MiB }),
    /larger than memory limit/,
  );
  assert.throws(() => mergeUpdate({ MemoryReservation: 30 * MiB }, { Memory: 20 * MiB }), /reservation/);
});

test("mergeUpdate: NanoCpus and CPU period/quota exclude each other", () => {
  assert.throws(
    () => mergeUpdate({ CpuQuota: 50_000 }, { NanoCpus: 1e9 }),
    (e) => isKind(e, "conflict"),
  );
  assert.throws(
    () => mergeUpdate({ NanoCpus: 1e9 }, { CpuPeriod: 50_000 }),
    (e) => isKind(e, "conflict"),
  );
  assert.equal(mergeUpdate({ NanoCpus: 1e9 }, { NanoCpus: 5e8 }).NanoCpus, 5e8);
});

test("mergeUpdate: restart policy checks", () => {
  assert.throws(
    () => mergeUpdate({ AutoRemove: true }, { RestartPolicy: { Name: "always" } }),
    (e) => isKind(e, "conflict"),
  );
  assert.throws(
    () => mergeUpdate({}, { RestartPolicy: { Name: "always", MaximumRetryCount: 2 } }),
    (e) => isKind(e, "invalid-argument"),
  );
});

test("liveResources: what runc update gets", () => {
  assert.deepEqual(liveResources({}), {});
  assert.deepEqual(liveResources({ Memory: 20 * MiB, PidsLimit: 0, NanoCpus: 1.5e9, CpusetCpus: "0" }), {
    memory: { limit: 20 * MiB, swap: 40 * MiB },
    cpu: { period: 100_000, quota: 150_000, cpus: "0" },
    pids: { limit: -1 },
  });
  assert.deepEqual(
    liveResources({
      Memory: 20 * MiB,
      MemorySwap: -1,
      MemoryReservation: 8 * MiB,
      CpuShares: 256,
      PidsLimit: 64,
    }),
    {
      memory: { limit: 20 * MiB, swap: -1, reservation: 8 * MiB },
      cpu: { shares: 256 },
      pids: { limit: 64 },
    },
  );
  assert.deepEqual(liveResources({ CpuQuota: 50_000, CpuPeriod: 100_000, BlkioWeight: 300 }), {
    cpu: { period: 100_000, quota: 50_000 },
    blockIO: { weight: 300 },
  });
});
