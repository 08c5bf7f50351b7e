import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPassword, parseBasicAuth, parseHtpasswd } from "./htpasswd.js";

// Written by Apache's htpasswd 2.4: -nbB -C 5 alice s3cret, -nbs bob hunter2, -nbm carol x.
const FILE = `# users
alice:$2y$05$n4JPomMxHdMBHFGj7i1lyeJWo4awS4gdu2.xd.Oo2ae8MgZI0L7hW
bob:{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0=
carol:$apr1$xXdLXaGw$lnG.uzBznd1ugK4wBlZve1

nocolon
`;

test("parseHtpasswd reads bcrypt and {SHA} entries and reports the rest", () => {
  const h = parseHtpasswd(FILE);
  assert.deepEqual([...h.entries.keys()], ["alice", "bob"]);
  assert.equal(h.entries.get("alice")?.scheme, "bcrypt");
  assert.equal(h.entries.get("bob")?.scheme, "sha1");
  assert.equal(h.problems.length, 2);
  assert.match(h.problems[0]!, /line 4: user "carol": unsupported hash scheme \(\$apr1\$ MD5\)/);
  assert.match(h.problems[1]!, /line 6: expected user:hash/);
});

test("checkPassword verifies htpasswd's $2y$ bcrypt and {SHA} hashes", async () => {
  const h = parseHtpasswd(FILE);
  assert.equal(await checkPassword(h.entries.get("alice")!, "s3cret"), true);
  assert.equal(await checkPassword(h.entries.get("alice")!, "s3cret "), false);
  assert.equal(await checkPassword(h.entries.get("bob")!, "hunter2"), true);
  assert.equal(await checkPassword(h.entries.get("bob")!, "hunter3"), false);
});

test("parseBasicAuth splits at the first colon and rejects other schemes", () => {
  const header = `Basic ${Buffer.from("alice:pa:ss").toString("base64")}`;
  assert.deepEqual(parseBasicAuth(header), { user: "alice", password: "pa:ss" });
  assert.equal(parseBasicAuth("Bearer abc"), undefined);
  assert.equal(parseBasicAuth(`Basic ${Buffer.from("nocolon").toString("base64")}`), undefined);
  assert.equal(parseBasicAuth(undefined), undefined);
});
