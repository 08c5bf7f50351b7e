import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_CAPABILITIES } from "./capabilities.js";
import type { LinuxSeccomp } from "./runtime-spec.js";
import { defaultSeccompProfile } from "./seccomp-default.js";
import { compileSeccomp } from "./seccomp-profile.js";

const compile = (caps: readonly string[], arch = "amd64"): LinuxSeccomp => {
  const s = compileSeccomp(defaultSeccompProfile(), { capabilities: caps, arch, kernelVersion: "6.1.0" });
  assert.ok(s !== undefined);
  return s;
};
const allowed = (s: LinuxSeccomp, name: string) =>
  s.syscalls?.some((c) => c.action === "SCMP_ACT_ALLOW" && c.names.includes(name) && c.args === undefined) ??
  false;

test("defaultSeccompProfile denies with EPERM by default on x86_64, x86 and x32", () => {
  const s = compile(DEFAULT_CAPABILITIES);
  assert.equal(s.defaultAction, "SCMP_ACT_ERRNO");
  assert.equal(s.defaultErrnoRet, 1);
  assert.deepEqual(s.architectures, ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
  assert.deepEqual(compile(DEFAULT_CAPABILITIES, "arm64").architectures, [
    "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_ARM",
  ]);
});

test("defaultSeccompProfile allows ordinary syscalls and refuses privileged ones", () => {
  const s = compile(DEFAULT_CAPABILITIES);
  for (const name of ["read", "execve", "openat", "arch_prctl", "chroot", "ptrace"])
    assert.ok(allowed(s, name), name);
  for (const name of ["mount", "unshare", "setns", "reboot", "init_module", "bpf", "keyctl", "add_key"]) {
    assert.ok(!allowed(s, name), name);
  }
});

test("defaultSeccompProfile answers clone3 with ENOSYS and filters clone flags without CAP_SYS_ADMIN", () => {
  const s = compile(DEFAULT_CAPABILITIES);
  const clone3 = s.syscalls?.find((c) => c.names.includes("clone3"));
  assert.deepEqual(clone3, { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 });
  const clone = s.syscalls?.find((c) => c.names.length === 1 && c.names[0] === "clone");
  assert.deepEqual(clone?.args, [{ index: 0, value: 0x7e020000, op: "SCMP_CMP_MASKED_EQ" }]);
});

test("defaultSeccompProfile allows mount, unshare and clone with CAP_SYS_ADMIN", () => {
  const s = compile([...DEFAULT_CAPABILITIES, "CAP_SYS_ADMIN"]);
  for (const name of ["mount", "umount2", "unshare", "setns", "clone", "clone3"])
    assert.ok(allowed(s, name), name);
  assert.ok(!s.syscalls?.some((c) => c.action === "SCMP_ACT_ERRNO"));
});

test("defaultSeccompProfile adds each capability's syscalls", () => {
  assert.ok(allowed(compile([...DEFAULT_CAPABILITIES, "CAP_SYS_TIME"]), "settimeofday"));
  assert.ok(allowed(compile([...DEFAULT_CAPABILITIES, "CAP_SYS_PTRACE"]), "kcmp"));
  assert.ok(allowed(compile([...DEFAULT_CAPABILITIES, "CAP_SYS_BOOT"]), "reboot"));
  assert.ok(!allowed(compile(DEFAULT_CAPABILITIES.filter((c) => c !== "CAP_SYS_CHROOT")), "chroot"));
});

test("defaultSeccompProfile allows only the known personality values", () => {
  const s = compile(DEFAULT_CAPABILITIES);
  const values = s.syscalls?.filter((c) => c.names.includes("personality")).map((c) => c.args?.[0]?.value);
  assert.deepEqual(values, [0x0, 0x8, 0x20000, 0x20008, 0xffffffff]);
});

test("defaultSeccompProfile refuses AF_ALG and AF_VSOCK sockets only", () => {
  const s = compile(DEFAULT_CAPABILITIES);
  const socket = s.syscalls?.filter((c) => c.names.includes("socket")).map((c) => c.args?.[0]);
  assert.deepEqual(socket, [
    { index: 0, value: 38, op: "SCMP_CMP_LT" },
    { index: 0, value: 39, op: "SCMP_CMP_EQ" },
    { index: 0, value: 40, op: "SCMP_CMP_GT" },
  ]);
});

test("defaultSeccompProfile returns an independent copy", () => {
  const a = defaultSeccompProfile();
  a.syscalls?.pop();
  assert.notEqual(a.syscalls?.length, defaultSeccompProfile().syscalls?.length);
});
