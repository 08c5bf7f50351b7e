import assert from "node:assert/strict";
import { test } from "node:test";
import { parseProcLimits, resolveRlimits, validateUlimit } from "./rlimits.js";
import { RLIM_INFINITY } from "./runtime-spec.js";

const PROC_LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max processes             96365                96365                processes 
Max open files            1024                 524288               files     
Max nice priority         0                    0                    
`;

test("parseProcLimits reads /proc/self/limits with unlimited as Infinity", () => {
  const limits = parseProcLimits(PROC_LIMITS);
  assert.deepEqual(limits, [
    { type: "RLIMIT_CPU", soft: Infinity, hard: Infinity },
    { type: "RLIMIT_STACK", soft: 8388608, hard: Infinity },
    { type: "RLIMIT_CORE", soft: 0, hard: Infinity },
    { type: "RLIMIT_NPROC", soft: 96365, hard: 96365 },
    { type: "RLIMIT_NOFILE", soft: 1024, hard: 524288 },
    { type: "RLIMIT_NICE", soft: 0, hard: 0 },
  ]);
});

test("resolveRlimits lists only the ulimits, the last per name winning", () => {
  const host = parseProcLimits(PROC_LIMITS);
  assert.deepEqual(resolveRlimits(host, []), []);
  assert.deepEqual(
    resolveRlimits(host, [
      { name: "nofile", soft: 100, hard: 200 },
      { name: "nproc", soft: 10, hard: 10 },
      { name: "nofile", soft: 1024, hard: 4096 },
    ]),
    [
      { type: "RLIMIT_NPROC", soft: 10, hard: 10 },
      { type: "RLIMIT_NOFILE", soft: 1024, hard: 4096 },
    ],
  );
});

test("resolveRlimits refuses a hard limit above the host's", () => {
  const host = parseProcLimits(PROC_LIMITS);
  assert.throws(() => resolveRlimits(host, [{ name: "nofile", soft: 1024, hard: 1048576 }]), {
    kind: "invalid-argument",
    message: "ulimit nofile hard limit 1048576 exceeds the host's 524288",
  });
  assert.throws(() => resolveRlimits(host, [{ name: "nproc", soft: -1, hard: -1 }]), {
    message: "ulimit nproc hard limit unlimited exceeds the host's 96365",
  });
});

test("resolveRlimits writes unlimited as RLIM_INFINITY", () => {
  const host = parseProcLimits(PROC_LIMITS);
  assert.deepEqual(resolveRlimits(host, [{ name: "core", soft: -1, hard: -1 }]), [
    { type: "RLIMIT_CORE", soft: RLIM_INFINITY, hard: RLIM_INFINITY },
  ]);
  assert.deepEqual(resolveRlimits(host, [{ name: "core", soft: 0, hard: -1 }]), [
    { type: "RLIMIT_CORE", soft: 0, hard: RLIM_INFINITY },
  ]);
});

test("validateUlimit uses Docker's messages", () => {
  assert.throws(() => validateUlimit({ name: "as", soft: 1, hard: 1 }), {
    message: "invalid ulimit type: as",
  });
  assert.throws(() => validateUlimit({ name: "nofile", soft: 20, hard: 10 }), {
    message: "ulimit soft limit must be less than or equal to hard limit: 20 > 10",
  });
  assert.throws(() => validateUlimit({ name: "nofile", soft: -1, hard: 10 }), {
    message: "ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 10",
  });
  assert.throws(() => validateUlimit({ name: "nofile", soft: 1.5, hard: 10 }), { kind: "invalid-argument" });
  validateUlimit({ name: "nofile", soft: 10, hard: -1 });
});
