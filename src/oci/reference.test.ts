import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError } from "../lib/errors.js";
import type { Reference } from "./reference.js";
import {
  familiarRepository,
  familiarString,
  formatReference,
  isValidTag,
  looksLikeImageId,
  parseReference,
  repositoryName,
  trimReference,
  withDefaultTag,
  withTag,
} from "./reference.js";

const HEX = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
const DIGEST = `sha256:${HEX}` as const;
const FF = `sha256:${"f".repeat(64)}` as const;

function assertInvalid(input: string, message: string | RegExp) {
  assert.throws(
    () => parseReference(input),
    (err: unknown) => {
      assert.ok(err instanceof BerthError, `expected BerthError for ${JSON.stringify(input)}`);
      assert.equal(err.kind, "invalid-argument");
      if (typeof message === "string") assert.equal(err.message, message, `input ${JSON.stringify(input)}`);
      else assert.match(err.message, message);
      return true;
    },
    `expected ${JSON.stringify(input)} to be rejected`,
  );
}

test("parseReference normalises familiar names to docker.io/library", () => {
  assert.deepEqual(parseReference("nginx"), { domain: "docker.io", path: "library/nginx" });
  assert.deepEqual(parseReference("nginx:1.25"), { domain: "docker.io", path: "library/nginx", tag: "1.25" });
  assert.deepEqual(parseReference("docker.io/nginx"), { domain: "docker.io", path: "library/nginx" });
  assert.deepEqual(parseReference("index.docker.io/nginx"), { domain: "docker.io", path: "library/nginx" });
  assert.deepEqual(parseReference("docker.io/library/nginx"), { domain: "docker.io", path: "library/nginx" });
});

test("parseReference does not add a default tag", () => {
  assert.equal(parseReference("nginx").tag, undefined);
  assert.equal(parseReference("nginx").digest, undefined);
});

// distribution/reference normalize_test.go TestNormalizedSplitHostname + TestParseRepositoryInfo
test("parseReference splits domain and path like splitDockerDomain", () => {
  const cases: Array<[string, string, string]> = [
    ["test.com/foo", "test.com", "foo"],
    ["test_com/foo", "docker.io", "test_com/foo"],
    ["docker/migrator", "docker.io", "docker/migrator"],
    ["test.com:8080/foo", "test.com:8080", "foo"],
    ["test-com:8080/foo", "test-com:8080", "foo"],
    ["foo", "docker.io", "library/foo"],
    ["xn--n3h.com/foo", "xn--n3h.com", "foo"],
    ["xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"],
    ["docker.io/foo", "docker.io", "library/foo"],
    ["docker.io/library/foo", "docker.io", "library/foo"],
    ["docker.io/library/foo/bar", "docker.io", "library/foo/bar"],
    ["localhost/foo", "localhost", "foo"],
    ["localhost:5000/x", "localhost:5000", "x"],
    ["foo:5000/bar", "foo:5000", "bar"],
    ["127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase"],
    ["example.com/privatebase", "example.com", "privatebase"],
    ["index.docker.io/fooo/bar", "docker.io", "fooo/bar"],
    ["library/ubuntu", "docker.io", "library/ubuntu"],
    ["store/foo/bar", "docker.io", "store/foo/bar"],
    ["sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux"],
    ["[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo"],
    ["[::1]:5000/repo", "[::1]:5000", "repo"],
    ["[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian"],
    ["192.168.0.1:8/debian", "192.168.0.1:8", "debian"],
    // An uppercase first component can only be a host name (distribution/reference keeps it).
    ["Foo/bar", "Foo", "bar"],
    ["UPPER/case", "UPPER", "case"],
  ];
  for (const [input, domain, path] of cases) {
    const ref = parseReference(input);
    assert.equal(ref.domain, domain, `domain of ${input}`);
    assert.equal(ref.path, path, `path of ${input}`);
  }
});

test("parseReference accepts the valid names of distribution/reference's tables", () => {
  const valid = [
    "docker/docker",
    "library/debian",
    "debian",
    "docker.io/docker/docker",
    "docker.io/library/debian",
    "docker.io/debian",
    "index.docker.io/docker/docker",
    "index.docker.io/library/debian",
    "index.docker.io/debian",
    "127.0.0.1:5000/docker/docker",
    "127.0.0.1:5000/library/debian",
    "127.0.0.1:5000/debian",
    "192.168.0.1",
    "192.168.0.1:80",
    "192.168.0.2:25000/debian",
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    "[fc00::1]:5000/docker",
    "[fc00::1]:5000/docker/docker",
    `docker.io/${HEX.slice(0, 63)}a`,
    "Docker/docker",
    "DOCKER/docker",
    "docker-rules/docker",
    "docker---rules/docker",
    "doc/docker",
    "d/docker",
    "jess/t",
    "dock__er/docker",
    "a.b_c__d-e---f/g",
  ];
  for (const name of valid) assert.doesNotThrow(() => parseReference(name), name);
});

test("parseReference treats a bare host:port as name:tag", () => {
  assert.deepEqual(parseReference("192.168.0.1:80"), {
    domain: "docker.io",
    path: "library/192.168.0.1",
    tag: "80",
  });
  assert.deepEqual(parseReference("test.com:5000"), {
    domain: "docker.io",
    path: "library/test.com",
    tag: "5000",
  });
  assert.deepEqual(parseReference("foo_bar.com:8080"), {
    domain: "docker.io",
    path: "library/foo_bar.com",
    tag: "8080",
  });
});

test("parseReference reads tags", () => {
  assert.equal(parseReference("test:5000/repo:tag").tag, "tag");
  assert.equal(parseReference("lowercase:Uppercase").tag, "Uppercase");
  assert.equal(parseReference("b.gcr.io/test.example.com/my-app:test.example.com").tag, "test.example.com");
  assert.equal(parseReference("192.168.1.1:5000/repo:5050").tag, "5050");
  assert.equal(parseReference("foo/foo_bar.com:8080").tag, "8080");
  assert.equal(parseReference("foo/foo_bar.com:8080").path, "foo/foo_bar.com");
  assert.equal(parseReference(`a:${"t".repeat(128)}`).tag, "t".repeat(128));
  assert.equal(parseReference("a:_x.-y").tag, "_x.-y");
});

test("parseReference reads digests, with and without a tag", () => {
  assert.deepEqual(parseReference(`redis@${DIGEST}`), {
    domain: "docker.io",
    path: "library/redis",
    digest: DIGEST,
  });
  assert.deepEqual(parseReference(`test:5000/repo:tag@${FF}`), {
    domain: "test:5000",
    path: "repo",
    tag: "tag",
    digest: FF,
  });
  assert.deepEqual(parseReference(`[2001:db8::1]:5000/repo@${FF}`), {
    domain: "[2001:db8::1]:5000",
    path: "repo",
    digest: FF,
  });
});

test("parseReference refuses uppercase repository names with Docker's message", () => {
  assertInvalid("UPPER", "invalid reference format: repository name (library/UPPER) must be lowercase");
  assertInvalid(
    "Uppercase:tag",
    "invalid reference format: repository name (library/Uppercase) must be lowercase",
  );
  assertInvalid("case/UPPER", "invalid reference format: repository name (case/UPPER) must be lowercase");
  assertInvalid(
    "docker/Docker",
    "invalid reference format: repository name (docker/Docker) must be lowercase",
  );
  assertInvalid(
    "docker.io/docker/Docker",
    "invalid reference format: repository name (docker/Docker) must be lowercase",
  );
  assertInvalid(
    "test:5000/Uppercase/lowercase:tag",
    "invalid reference format: repository name (Uppercase/lowercase) must be lowercase",
  );
  assertInvalid(
    "localhost:5000/UPPER",
    "invalid reference format: repository name (UPPER) must be lowercase",
  );
});

test("parseReference refuses malformed references with 'invalid reference format'", () => {
  const bad = [
    "",
    "a:b:c",
    "../x",
    "nginx:",
    ":tag",
    ":justtag",
    `@${FF}`,
    "nginx@",
    "aa/asdf$$^/aa",
    "https://github.com/docker/docker",
    "-docker",
    "-docker/docker",
    "-docker.io/docker/docker",
    "docker///docker",
    "docker.io/docker///docker",
    "docker-/docker",
    "-docker-/docker",
    "____/____",
    "_docker/_docker",
    "dock..er/docker",
    "dock_.er/docker",
    "dock-.er/docker",
    "docker/",
    "/docker",
    "[fc00::1]",
    "[fc00::1]:5000",
    "fc00::1:5000/debian",
    "[fe80::1%eth0]:5000/debian",
    "[2001:db8:3:4::192.0.2.33]:5000/debian",
    "[2001:db8::1]:tag",
    "nginx:-tag",
    "nginx:.tag",
    `nginx:${"t".repeat(129)}`,
    "nginx:la test",
    " nginx",
    "nginx ",
    "ngin x",
    "repo@sha256:abc",
    "a___b",
    "foo/.bar",
  ];
  for (const input of bad) assertInvalid(input, "invalid reference format");
});

test("parseReference refuses 64-hex strings that look like image IDs", () => {
  assertInvalid(HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`);
  // One character short, or with a domain, it is an ordinary name.
  assert.equal(parseReference(HEX.slice(0, 63)).path, `library/${HEX.slice(0, 63)}`);
  assert.equal(parseReference(`docker.io/${HEX}`).path, `library/${HEX}`);
  // "sha256:<hex>" parses as repository "sha256" with the hex as tag: callers check looksLikeImageId first.
  assert.deepEqual(parseReference(DIGEST), { domain: "docker.io", path: "library/sha256", tag: HEX });
});

test("parseReference enforces the 255-character path limit", () => {
  const tooLong = "repository name must not be more than 255 characters";
  assertInvalid(`${"a/".repeat(128)}a:tag`, tooLong);
  assertInvalid(`example.com/${"a".repeat(256)}`, tooLong);
  assertInvalid(`domain.io/${"a".repeat(256)}:tag`, tooLong);
  const ok = parseReference(`${"a/".repeat(127)}a:tag-puts-this-over-max`);
  assert.equal(ok.path, `${"a/".repeat(127)}a`);
  assert.equal(ok.tag, "tag-puts-this-over-max");
  assert.equal(parseReference(`example.com/${"a".repeat(255)}:tag`).path, "a".repeat(255));
});

test("parseReference validates digests like go-digest", () => {
  assertInvalid(`repo@sha256:${"f".repeat(34)}`, "invalid checksum digest length");
  assertInvalid(`repo@sha256:${"F".repeat(64)}`, "invalid checksum digest format");
  assertInvalid(`validname@invaliddigest:${"f".repeat(64)}`, "unsupported digest algorithm");
  assertInvalid(`repo@sha512:${"f".repeat(128)}`, "unsupported digest algorithm");
});

test("parseReference stays fast on long pathological input", () => {
  const started = performance.now();
  assertInvalid(`${"a-".repeat(5000)}!`, "invalid reference format");
  assertInvalid(`${"a.".repeat(5000)}/x!`, "invalid reference format");
  assert.ok(performance.now() - started < 1000);
});

test("withDefaultTag adds latest only to name-only references", () => {
  assert.equal(withDefaultTag(parseReference("nginx")).tag, "latest");
  assert.equal(withDefaultTag(parseReference("nginx:1")).tag, "1");
  const digested = withDefaultTag(parseReference(`nginx@${DIGEST}`));
  assert.equal(digested.tag, undefined);
  assert.equal(digested.digest, DIGEST);
});

test("withDefaultTag does not modify its argument", () => {
  const ref = parseReference("nginx");
  withDefaultTag(ref);
  assert.equal(ref.tag, undefined);
});

test("withTag sets the tag and keeps the digest", () => {
  const ref = withTag(parseReference(`test.com:8000/foo@${DIGEST}`), "TAG5");
  assert.equal(formatReference(ref), `test.com:8000/foo:TAG5@${DIGEST}`);
});

test("withTag refuses invalid tags", () => {
  assert.throws(() => withTag(parseReference("busybox"), "-foo"), { message: "invalid tag format" });
  assert.throws(() => withTag(parseReference("busybox"), ""), { message: "invalid tag format" });
});

test("isValidTag follows [\\w][\\w.-]{0,127}", () => {
  assert.ok(isValidTag("latest"));
  assert.ok(isValidTag("1.0-rc_1"));
  assert.ok(isValidTag("t".repeat(128)));
  assert.ok(!isValidTag("t".repeat(129)));
  assert.ok(!isValidTag(".x"));
  assert.ok(!isValidTag("a/b"));
});

test("trimReference drops tag and digest", () => {
  assert.deepEqual(trimReference(parseReference(`nginx:1@${DIGEST}`)), {
    domain: "docker.io",
    path: "library/nginx",
  });
});

test("formatReference prints the full normalised reference", () => {
  assert.equal(formatReference(withDefaultTag(parseReference("nginx"))), "docker.io/library/nginx:latest");
  assert.equal(formatReference(parseReference("nginx")), "docker.io/library/nginx");
  assert.equal(formatReference(parseReference("myrepo/app:1.0")), "docker.io/myrepo/app:1.0");
  assert.equal(
    formatReference(parseReference(`busybox:latest@${DIGEST}`)),
    `docker.io/library/busybox:latest@${DIGEST}`,
  );
  assert.equal(formatReference(parseReference("localhost:5000/x:1")), "localhost:5000/x:1");
});

test("formatReference round-trips through parseReference", () => {
  for (const s of [
    "docker.io/library/redis:latest",
    `docker.io/dmcgowan/myapp@${DIGEST}`,
    "[::1]:5000/repo:tag",
  ]) {
    assert.equal(formatReference(parseReference(s)), s);
  }
});

test("repositoryName omits tag and digest", () => {
  assert.equal(repositoryName(parseReference(`nginx:1@${DIGEST}`)), "docker.io/library/nginx");
  assert.equal(repositoryName(parseReference("localhost/foo")), "localhost/foo");
});

test("familiarRepository strips docker.io and library/ like FamiliarName", () => {
  const cases: Array<[string, string]> = [
    ["fooo/bar", "fooo/bar"],
    ["index.docker.io/fooo/bar", "fooo/bar"],
    ["library/ubuntu", "ubuntu"],
    ["docker.io/library/ubuntu", "ubuntu"],
    ["nonlibrary/ubuntu", "nonlibrary/ubuntu"],
    ["other/library", "other/library"],
    ["127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase"],
    ["example.com:8000/privatebasee", "example.com:8000/privatebasee"],
    ["ubuntu-12.04-base", "ubuntu-12.04-base"],
    ["docker.io/foo", "foo"],
    ["library/foo/bar", "library/foo/bar"],
    ["store/foo/bar", "store/foo/bar"],
    ["Foo/bar", "Foo/bar"],
    ["localhost/foo", "localhost/foo"],
  ];
  for (const [input, familiar] of cases)
    assert.equal(familiarRepository(parseReference(input)), familiar, input);
});

test("familiarString shows references as docker does", () => {
  const cases: Array<[string, string]> = [
    ["nginx", "nginx:latest"],
    ["docker.io/library/nginx:latest", "nginx:latest"],
    ["myrepo/app:1.0", "myrepo/app:1.0"],
    ["localhost:5000/x:1", "localhost:5000/x:1"],
    [`busybox:latest@${DIGEST}`, `busybox:latest@${DIGEST}`],
    [`docker.io/library/redis@${DIGEST}`, `redis@${DIGEST}`],
  ];
  for (const [input, familiar] of cases) {
    assert.equal(familiarString(withDefaultTag(parseReference(input))), familiar, input);
  }
});

test("familiarString keeps a hand-built reference's fields", () => {
  const ref: Reference = { domain: "ghcr.io", path: "org/app", tag: "v1" };
  assert.equal(familiarString(ref), "ghcr.io/org/app:v1");
});

test("looksLikeImageId accepts 64 hex with or without sha256:", () => {
  assert.ok(looksLikeImageId(HEX));
  assert.ok(looksLikeImageId(DIGEST));
  assert.ok(!looksLikeImageId(HEX.slice(1)));
  assert.ok(!looksLikeImageId(HEX.toUpperCase()));
  assert.ok(!looksLikeImageId(`sha512:${HEX}`));
  assert.ok(!looksLikeImageId("nginx"));
});
