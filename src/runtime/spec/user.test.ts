import assert from "node:assert/strict";
import { test } from "node:test";
import { additionalGroups, parseGroup, parsePasswd, resolveUser } from "./user.js";

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin

nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
short:x:1000
`;

const GROUP = `root:x:0:
# a comment
daemon:x:1:
wheel:x:10:root,www-data
www-data:x:33:
video:x:44:www-data
nogroup:x:65534:
`;

test("parsePasswd reads entries and pads short lines", () => {
  const users = parsePasswd(PASSWD);
  assert.equal(users.length, 5);
  assert.deepEqual(users[0], {
    name: "root",
    password: "x",
    uid: 0,
    gid: 0,
    gecos: "root",
    home: "/root",
    shell: "/bin/sh",
  });
  assert.deepEqual(users[4], {
    name: "short",
    password: "x",
    uid: 1000,
    gid: 0,
    gecos: "",
    home: "",
    shell: "",
  });
});

test("parseGroup reads members and skips comments", () => {
  const groups = parseGroup(GROUP);
  assert.equal(groups.length, 6);
  assert.deepEqual(groups[2], { name: "wheel", password: "x", gid: 10, members: ["root", "www-data"] });
  assert.deepEqual(groups[0]?.members, []);
});

test("resolveUser defaults to root with its groups", () => {
  assert.deepEqual(resolveUser("", PASSWD, GROUP), {
    uid: 0,
    gid: 0,
    additionalGids: [0, 10],
    home: "/root",
  });
  assert.deepEqual(resolveUser(""), { uid: 0, gid: 0, additionalGids: [0], home: "/" });
});

test("resolveUser finds a name with its gid, home and supplementary groups", () => {
  assert.deepEqual(resolveUser("www-data", PASSWD, GROUP), {
    uid: 33,
    gid: 33,
    additionalGids: [33, 10, 44],
    home: "/var/www",
  });
});

test("resolveUser takes numeric ids without an entry", () => {
  assert.deepEqual(resolveUser("1234", PASSWD, GROUP), { uid: 1234, gid: 0, additionalGids: [0], home: "/" });
  assert.deepEqual(resolveUser("1234:5678"), { uid: 1234, gid: 5678, additionalGids: [5678], home: "/" });
  assert.deepEqual(resolveUser("33", PASSWD, GROUP).home, "/var/www");
});

test("resolveUser uses an explicit group instead of the passwd gid and membership", () => {
  assert.deepEqual(resolveUser("www-data:video", PASSWD, GROUP), {
    uid: 33,
    gid: 44,
    additionalGids: [44],
    home: "/var/www",
  });
  assert.deepEqual(resolveUser("nobody:0", PASSWD, GROUP).gid, 0);
});

test("resolveUser fails for unknown names with Docker's message", () => {
  assert.throws(() => resolveUser("nobody", undefined, undefined), {
    kind: "invalid-argument",
    message: "unable to find user nobody: no matching entries in passwd file",
  });
  assert.throws(() => resolveUser("ghost", PASSWD, GROUP), { message: /unable to find user ghost/ });
  assert.throws(() => resolveUser("root:ghosts", PASSWD, GROUP), {
    message: "unable to find group ghosts: no matching entries in group file",
  });
  assert.throws(() => resolveUser("4294967296"), { message: /uids and gids must be in range/ });
});

test("resolveUser appends --group-add groups", () => {
  assert.deepEqual(
    resolveUser("daemon", PASSWD, GROUP, { groupAdd: ["video", "4000", "video"] }).additionalGids,
    [1, 44, 4000],
  );
  assert.throws(() => resolveUser("", PASSWD, GROUP, { groupAdd: ["nope"] }), {
    message: /unable to find group nope/,
  });
});

test("additionalGroups resolves names and keeps unknown numbers", () => {
  assert.deepEqual(additionalGroups(["wheel", "99"], parseGroup(GROUP)), [10, 99]);
});
