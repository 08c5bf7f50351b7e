import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compileSeccomp,
  parseSeccompProfile,
  type SeccompProfile,
  seccompNativeArch,
} from "./seccomp-profile.js";

const PROFILE: SeccompProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  archMap: [
    { architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
    { architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"] },
  ],
  syscalls: [
    { names: ["read", "write"], action: "SCMP_ACT_ALLOW" },
    { name: "legacy", action: "SCMP_ACT_ALLOW" },
    { names: ["mount"], action: "SCMP_ACT_ALLOW", includes: { caps: ["CAP_SYS_ADMIN"] } },
    { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38, excludes: { caps: ["CAP_SYS_ADMIN"] } },
    { names: ["arch_prctl"], action: "SCMP_ACT_ALLOW", includes: { arches: ["amd64", "x32"] } },
    { names: ["ptrace"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "4.8" } },
    { names: ["old"], action: "SCMP_ACT_ALLOW", excludes: { minKernel: "5.0" } },
    {
      names: ["personality"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: 8, op: "SCMP_CMP_EQ" }],
    },
  ],
};

const names = (s: ReturnType<typeof compileSeccomp>) => s?.syscalls?.flatMap((c) => c.names) ?? [];

test("compileSeccomp expands the archMap entry of the host architecture", () => {
  const amd64 = compileSeccomp(PROFILE, { capabilities: [], arch: "amd64" });
  assert.deepEqual(amd64?.architectures, ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
  assert.equal(amd64?.defaultAction, "SCMP_ACT_ERRNO");
  assert.equal(amd64?.defaultErrnoRet, 1);
  const arm = compileSeccomp(PROFILE, { capabilities: [], arch: "arm64" });
  assert.deepEqual(arm?.architectures, ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]);
  assert.ok(!names(arm).includes("arch_prctl"));
  assert.deepEqual(
    compileSeccomp(PROFILE, { capabilities: [], arch: "x64" })?.architectures,
    amd64?.architectures,
  );
});

test("compileSeccomp resolves capability conditions against the bounding set", () => {
  const plain = names(compileSeccomp(PROFILE, { capabilities: ["CAP_KILL"], arch: "amd64" }));
  assert.ok(!plain.includes("mount"));
  assert.ok(plain.includes("clone3"));
  const admin = names(compileSeccomp(PROFILE, { capabilities: ["CAP_SYS_ADMIN"], arch: "amd64" }));
  assert.ok(admin.includes("mount"));
  assert.ok(!admin.includes("clone3"));
});

test("compileSeccomp resolves kernel conditions, assuming new enough when unknown", () => {
  const old = names(
    compileSeccomp(PROFILE, { capabilities: [], arch: "amd64", kernelVersion: "4.4.0-21-generic" }),
  );
  assert.ok(!old.includes("ptrace"));
  assert.ok(old.includes("old"));
  const recent = names(compileSeccomp(PROFILE, { capabilities: [], arch: "amd64", kernelVersion: "6.1.0" }));
  assert.ok(recent.includes("ptrace"));
  assert.ok(!recent.includes("old"));
  assert.ok(names(compileSeccomp(PROFILE, { capabilities: [], arch: "amd64" })).includes("ptrace"));
});

test("compileSeccomp turns name into names and keeps args and errnoRet", () => {
  const s = compileSeccomp(PROFILE, { capabilities: [], arch: "amd64" });
  assert.deepEqual(
    s?.syscalls?.find((c) => c.names[0] === "legacy"),
    { names: ["legacy"], action: "SCMP_ACT_ALLOW" },
  );
  assert.deepEqual(s?.syscalls?.find((c) => c.names[0] === "personality")?.args, [
    { index: 0, value: 8, op: "SCMP_CMP_EQ" },
  ]);
  assert.equal(s?.syscalls?.find((c) => c.names[0] === "clone3")?.errnoRet, 38);
});

test("compileSeccomp treats an empty profile as disabled and rejects contradictions", () => {
  assert.equal(compileSeccomp({ defaultAction: "" }, { capabilities: [], arch: "amd64" }), undefined);
  assert.throws(
    () =>
      compileSeccomp(
        { ...PROFILE, architectures: ["SCMP_ARCH_X86_64"] },
        { capabilities: [], arch: "amd64" },
      ),
    { kind: "invalid-argument", message: /both 'architectures' and 'archMap'/ },
  );
  assert.throws(
    () =>
      compileSeccomp(
        {
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [{ name: "a", names: ["b"], action: "SCMP_ACT_ERRNO" }],
        },
        { capabilities: [], arch: "amd64" },
      ),
    { message: /both 'name' and 'names'/ },
  );
});

test("compileSeccomp passes a plain OCI-style profile through", () => {
  const s = compileSeccomp(
    {
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: ["SCMP_ARCH_X86_64"],
      syscalls: [{ names: ["unshare"], action: "SCMP_ACT_ERRNO", errnoRet: 1 }],
    },
    { capabilities: [], arch: "amd64" },
  );
  assert.deepEqual(s, {
    defaultAction: "SCMP_ACT_ALLOW",
    architectures: ["SCMP_ARCH_X86_64"],
    syscalls: [{ names: ["unshare"], action: "SCMP_ACT_ERRNO", errnoRet: 1 }],
  });
});

test("parseSeccompProfile validates Docker's JSON shape", () => {
  const parsed = parseSeccompProfile(JSON.parse(JSON.stringify(PROFILE)));
  assert.deepEqual(parsed, PROFILE);
  assert.deepEqual(parseSeccompProfile({ defaultAction: "SCMP_ACT_ALLOW", syscalls: null }), {
    defaultAction: "SCMP_ACT_ALLOW",
  });
  assert.throws(() => parseSeccompProfile([]), {
    kind: "invalid-argument",
    message: /^Decoding seccomp profile failed/,
  });
  assert.throws(() => parseSeccompProfile({ defaultAction: "SCMP_ACT_NOPE" }), { message: /unknown action/ });
  assert.throws(
    () =>
      parseSeccompProfile({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["x"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 1, op: "EQ" }] }],
      }),
    { message: /unknown operator/ },
  );
  assert.throws(
    () =>
      parseSeccompProfile({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["x"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "4" } }],
      }),
    { message: /invalid kernel version/ },
  );
});

test("seccompNativeArch maps Go and Node names to libseccomp's", () => {
  assert.equal(seccompNativeArch("x64"), "amd64");
  assert.equal(seccompNativeArch("ia32"), "x86");
  assert.equal(seccompNativeArch("386"), "x86");
  assert.equal(seccompNativeArch("arm64"), "arm64");
});
