import assert from "node:assert/strict";
import { test } from "node:test";
import { DockerfileError } from "./errors.js";
import type { Instruction } from "./instruction-types.js";
import { addSourceKind, parseInstructions } from "./instructions.js";
import { parseDockerfile } from "./parser.js";

function parse(text: string): Instruction[] {
  return parseInstructions(parseDockerfile(text).nodes, "Dockerfile");
}

function one<K extends Instruction["kind"]>(text: string, kind: K): Extract<Instruction, { kind: K }> {
  const all = parse(text);
  const found = all.find((i) => i.kind === kind);
  assert.ok(found, `no ${kind} in ${text}`);
  return found as Extract<Instruction, { kind: K }>;
}

function rejects(text: string, detail: string | RegExp, line = 2, column = 1): void {
  assert.throws(
    () => parse(text),
    (err: unknown) => {
      assert.ok(err instanceof DockerfileError, String(err));
      if (typeof detail === "string") assert.equal(err.detail, detail);
      else assert.match(err.detail, detail);
      assert.equal(err.line, line);
      assert.equal(err.column, column);
      return true;
    },
    text,
  );
}

test("parseInstructions types FROM with stage name and platform", () => {
  const f = one("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n", "FROM");
  assert.equal(f.image, "golang:1.22");
  assert.equal(f.stageName, "build");
  assert.equal(f.stageNameAsWritten, "Build");
  assert.equal(f.asKeyword, "AS");
  assert.equal(f.platform, "$BUILDPLATFORM");
  assert.equal(one("FROM scratch\n", "FROM").stageName, "");
});

test("parseInstructions refuses malformed FROM lines", () => {
  rejects("FROM a\nFROM a b\n", "FROM requires either one or three arguments");
  rejects(
    "FROM a\nFROM a AS 1st\n",
    'invalid name for build stage: "1st", name can\'t start with a number or contain symbols',
  );
  rejects("FROM a\nFROM --plaform=x a\n", "unknown flag: --plaform (did you mean platform?)");
});

test("parseInstructions types RUN with mounts, network and security", () => {
  const r = one(
    "FROM a\nRUN --mount=type=cache,target=/root/.cache,id=go,sharing=locked,uid=1000,mode=0755 " +
      "--mount=type=secret,id=npmrc,target=/root/.npmrc,required " +
      "--mount=type=ssh --mount=type=tmpfs,target=/tmp,size=64m " +
      "--mount=from=build,source=/out,target=/in,rw --network=none --security=insecure go build ./...\n",
    "RUN",
  );
  assert.deepEqual(r.command, ["go build ./..."]);
  assert.equal(r.shellForm, true);
  assert.equal(r.network, "none");
  assert.equal(r.security, "insecure");
  const [cache, secret, ssh, tmpfs, bind] = r.mounts;
  assert.deepEqual(
    { ...cache, raw: "" },
    {
      raw: "",
      type: "cache",
      target: "/root/.cache",
      id: "go",
      sharing: "locked",
      uid: 1000,
      mode: 0o755,
      readOnly: false,
      required: false,
      unexpanded: false,
    },
  );
  assert.equal(secret!.type, "secret");
  assert.equal(secret!.required, true);
  assert.equal(secret!.readOnly, true);
  assert.equal(ssh!.type, "ssh");
  assert.equal(tmpfs!.sizeLimit, 64 * 1024 * 1024);
  assert.equal(bind!.type, "bind");
  assert.equal(bind!.from, "build");
  assert.equal(bind!.readOnly, false);
  assert.deepEqual(r.flagsUsed, ["mount", "network", "security"]);
});

test("parseInstructions keeps RUN mount values with variables for later expansion", () => {
  const r = one("FROM a\nRUN --mount=type=cache,target=$HOME/.cache,uid=$UID make\n", "RUN");
  assert.equal(r.mounts[0]!.unexpanded, true);
  assert.equal(r.mounts[0]!.target, "$HOME/.cache");
  assert.equal(r.mounts[0]!.uid, undefined);
});

test("parseInstructions refuses bad RUN flags", () => {
  rejects(
    "FROM a\nRUN --mount=type=cahce,target=/x make\n",
    'unsupported mount type "cahce" (did you mean cache?)',
  );
  rejects("FROM a\nRUN --network=bridge make\n", 'invalid network mode "bridge"');
  rejects("FROM a\nRUN --security=open make\n", 'security "open" is not valid');
  rejects(
    "FROM a\nRUN --mount=type=bind,target=/x,mode=0600 make\n",
    'mode not allowed for "bind" type mounts',
  );
  rejects("FROM a\nRUN --mount=type=secret,from=x,id=y make\n", "secret mount should not have a from");
  rejects("FROM a\nRUN --mount=type=secret make\n", "invalid secret mount. one of source, target required");
  rejects("FROM a\nRUN --mount=type=bind,sharing=locked make\n", "invalid cache sharing set for bind mount");
  rejects("FROM a\nRUN --mount=type=bind,required make\n", "unexpected key 'required' for mount type 'bind'");
  rejects(
    "FROM a\nRUN --mount=type=cache,targt=/x make\n",
    "unexpected key 'targt' in 'targt=/x' (did you mean target?)",
  );
  rejects(
    "FROM a\nRUN --mount=from=$STAGE,target=/x make\n",
    "'from' doesn't support variable expansion, define alias stage instead",
  );
  rejects(
    "FROM a\nRUN --mount='type=bind,target=a\"b' make\n",
    'failed to parse csv mounts: bare " in non-quoted-field',
  );
  // Quotes around a flag are removed when the flag is split off the line.
  assert.equal(one('FROM a\nRUN --mount=type=bind,target="/a b" make\n', "RUN").mounts[0]!.target, "/a b");
  assert.equal(
    one("FROM a\nRUN --mount='type=bind,\"target=/a,b\"' make\n", "RUN").mounts[0]!.target,
    "/a,b",
  );
});

test("parseInstructions types CMD and ENTRYPOINT in both forms", () => {
  const [, cmd, ep, reset] = parse(
    'FROM a\nCMD echo "hi there"\nENTRYPOINT ["/bin/app", "--flag"]\nENTRYPOINT []\n',
  );
  assert.deepEqual(cmd, { ...cmd, kind: "CMD", command: ['echo "hi there"'], shellForm: true });
  assert.deepEqual(ep, { ...ep, kind: "ENTRYPOINT", command: ["/bin/app", "--flag"], shellForm: false });
  assert.deepEqual(reset, { ...reset, kind: "ENTRYPOINT", command: [], shellForm: false });
});

test("parseInstructions types ENV and LABEL pairs in both formats", () => {
  assert.deepEqual(one('FROM a\nENV A=1 B="two words"\n', "ENV").env, [
    { key: "A", value: "1", legacy: false },
    { key: "B", value: '"two words"', legacy: false },
  ]);
  assert.deepEqual(one("FROM a\nENV GOPATH /go path\n", "ENV").env, [
    { key: "GOPATH", value: "/go path", legacy: true },
  ]);
  assert.deepEqual(one('FROM a\nLABEL a=b "c d"=e\n', "LABEL").labels, [
    { key: "a", value: "b", legacy: false },
    { key: '"c d"', value: "e", legacy: false },
  ]);
  rejects("FROM a\nENV =x\n", "ENV names can not be blank");
  rejects("FROM a\nLABEL\n", "LABEL requires at least one argument");
});

test("parseInstructions types EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, SHELL and MAINTAINER", () => {
  const ins = parse(
    'FROM a\nEXPOSE 8080 443/tcp 80\nVOLUME ["/data", "/logs"]\nVOLUME /a /b\nUSER app:app\nWORKDIR /srv/app\nSTOPSIGNAL SIGQUIT\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nMAINTAINER Jane <j@x.org>\n',
  );
  assert.deepEqual(
    ins.slice(1).map((i) => {
      const { keyword: _k, range: _r, comments: _c, original: _o, ...rest } = i;
      return rest;
    }),
    [
      { kind: "EXPOSE", ports: ["443/tcp", "80", "8080"] },
      { kind: "VOLUME", volumes: ["/data", "/logs"] },
      { kind: "VOLUME", volumes: ["/a", "/b"] },
      { kind: "USER", user: "app:app" },
      { kind: "WORKDIR", path: "/srv/app" },
      { kind: "STOPSIGNAL", signal: "SIGQUIT" },
      { kind: "SHELL", shell: ["/bin/bash", "-o", "pipefail", "-c"] },
      { kind: "MAINTAINER", maintainer: "Jane <j@x.org>" },
    ],
  );
  rejects("FROM a\nSHELL /bin/bash -c\n", "SHELL requires the arguments to be in JSON form");
  rejects('FROM a\nVOLUME [""]\n', "VOLUME specified can not be an empty string");
  rejects("FROM a\nWORKDIR\n", "WORKDIR requires exactly one argument");
  rejects("FROM a\nEXPOSE\n", "EXPOSE requires at least one argument");
  rejects("FROM a\nUSER --name=x app\n", "unknown flag: --name");
});

test("parseInstructions types ARG with several names and defaults", () => {
  assert.deepEqual(one('ARG A B=2 C="x y" D=\nFROM a\n', "ARG").args, [
    { key: "A" },
    { key: "B", value: "2" },
    { key: "C", value: '"x y"' },
    { key: "D", value: "" },
  ]);
  rejects("FROM a\nARG =1\n", "ARG names can not be blank");
});

test("parseInstructions types COPY flags and heredoc sources", () => {
  const c = one(
    "FROM a\nCOPY --from=build --chown=app:app --chmod=0644 --link --parents --exclude=*.md --exclude=tmp <<EOF src/ /app/\nhello $NAME\nEOF\n",
    "COPY",
  );
  assert.equal(c.from, "build");
  assert.equal(c.chown, "app:app");
  assert.equal(c.chmod, "0644");
  assert.equal(c.link, true);
  assert.equal(c.parents, true);
  assert.deepEqual(c.excludes, ["*.md", "tmp"]);
  assert.deepEqual(c.sources, ["src/"]);
  assert.deepEqual(c.inline, [{ path: "EOF", data: "hello $NAME\n", expand: true }]);
  assert.equal(c.dest, "/app/");
  assert.deepEqual(one('FROM a\nCOPY ["a b", "/c d/"]\n', "COPY").sources, ["a b"]);
  assert.deepEqual(one("FROM a\nCOPY <<-'EOT' /x\n\tliteral $X\n\tEOT\n", "COPY").inline, [
    { path: "EOT", data: "literal $X\n", expand: false },
  ]);
});

test("parseInstructions refuses bad COPY lines", () => {
  rejects(
    "FROM a\nCOPY onlyone\n",
    "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
  );
  rejects("FROM a\nCOPY a <<EOF\nx\nEOF\n", "COPY cannot accept a heredoc as a destination");
  rejects("FROM a\nCOPY https://example.com/x /x\n", "source can't be a URL for COPY");
  rejects("FROM a\nCOPY --link=maybe a b\n", "expecting boolean value for flag --link, not: maybe");
  rejects("FROM a\nCOPY --link= a b\n", "missing a value on flag: --link");
  rejects("FROM a\nCOPY --from a b\n", "missing a value on flag: --from");
  rejects("FROM a\nCOPY --from=x --from=y a b\n", "duplicate flag specified: --from");
  rejects(
    "FROM a\nCOPY --chmod=999 a b\n",
    "invalid chmod parameter: '999'. it should be octal string and between 0 and 07777",
  );
  rejects("FROM a\nCOPY --checksum=sha256:x a b\n", "unknown flag: --checksum");
});

test("parseInstructions types ADD with remote sources", () => {
  const a = one(
    "FROM a\nADD --checksum=sha256:abc --chown=1:1 --chmod=755 --keep-git-dir=false --link --unpack --exclude=x https://example.com/a.tar.gz /opt/\n",
    "ADD",
  );
  assert.deepEqual(
    [a.checksum, a.chown, a.chmod, a.keepGitDir, a.link, a.unpack, a.excludes, a.sources, a.dest],
    ["sha256:abc", "1:1", "755", false, true, true, ["x"], ["https://example.com/a.tar.gz"], "/opt/"],
  );
  const plain = one("FROM a\nADD a.tar /x\n", "ADD");
  assert.equal(plain.keepGitDir, undefined);
  assert.equal(plain.unpack, undefined);
  rejects("FROM a\nADD --checksum=sha256:abc local.txt /x\n", "checksum requires HTTP(S) or Git sources");
  rejects(
    "FROM a\nADD --checksum=sha256:abc https://a/b https://a/c /x\n",
    "checksum can't be specified for multiple sources",
  );
});

test("addSourceKind tells URLs, Git repositories and context paths apart", () => {
  assert.equal(addSourceKind("https://example.com/file.tar.gz"), "http");
  assert.equal(addSourceKind("https://github.com/moby/buildkit.git#v0.10.1"), "git");
  assert.equal(addSourceKind("git@github.com:moby/buildkit.git"), "git");
  assert.equal(addSourceKind("src/"), "local");
});

test("parseInstructions types ONBUILD with its trigger", () => {
  const o = one("FROM a\nONBUILD COPY --from=x . /app\n", "ONBUILD");
  assert.equal(o.expression, "COPY --from=x . /app");
  assert.equal(o.trigger.kind, "COPY");
  const h = one("FROM a\nonbuild RUN <<EOF\necho hi\nEOF\n", "ONBUILD");
  assert.equal(h.expression, "RUN <<EOF\necho hi\nEOF");
  assert.equal(h.trigger.kind === "RUN" && h.trigger.files[0]!.data, "echo hi\n");
  rejects("FROM a\nONBUILD ONBUILD RUN x\n", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  rejects("FROM a\nONBUILD FROM b\n", "FROM isn't allowed as an ONBUILD trigger");
  rejects("FROM a\nONBUILD maintainer me\n", "MAINTAINER isn't allowed as an ONBUILD trigger");
  rejects("FROM a\nONBUILD\n", "ONBUILD requires at least one argument");
  rejects("FROM a\nONBUILD FOOBAR x\n", "unknown instruction: FOOBAR");
});

test("parseInstructions types HEALTHCHECK and validates durations", () => {
  assert.deepEqual(one("FROM a\nHEALTHCHECK NONE\n", "HEALTHCHECK").health.test, ["NONE"]);
  const h = one(
    "FROM a\nHEALTHCHECK --interval=5s --timeout=1m30s --start-period=1.5s --start-interval=500ms --retries=3 CMD curl -f http://localhost/\n",
    "HEALTHCHECK",
  );
  assert.deepEqual(h.health, {
    test: ["CMD-SHELL", "curl -f http://localhost/"],
    interval: 5e9,
    timeout: 90e9,
    startPeriod: 1.5e9,
    startInterval: 5e8,
    retries: 3,
  });
  assert.deepEqual(one('FROM a\nHEALTHCHECK CMD ["/bin/check", "-q"]\n', "HEALTHCHECK").health.test, [
    "CMD",
    "/bin/check",
    "-q",
  ]);
  assert.equal(one("FROM a\nHEALTHCHECK --interval=0s CMD x\n", "HEALTHCHECK").health.interval, 0);
  rejects("FROM a\nHEALTHCHECK --interval=5 CMD x\n", 'time: missing unit in duration "5"');
  rejects("FROM a\nHEALTHCHECK --timeout=1d CMD x\n", 'time: unknown unit "d" in duration "1d"');
  rejects("FROM a\nHEALTHCHECK --interval=10us CMD x\n", 'Interval "interval" cannot be less than 1ms');
  rejects("FROM a\nHEALTHCHECK --interval=-1s CMD x\n", 'Interval "interval" cannot be less than 1ms');
  rejects("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "--retries cannot be negative (-1)");
  rejects("FROM a\nHEALTHCHECK --retries=x CMD x\n", 'strconv.ParseInt: parsing "x": invalid syntax');
  rejects("FROM a\nHEALTHCHECK CONNECT TCP 7000\n", 'Unknown type "CONNECT" in HEALTHCHECK (try CMD)');
  rejects("FROM a\nHEALTHCHECK CMD\n", "Missing command after HEALTHCHECK CMD");
  rejects("FROM a\nHEALTHCHECK NONE now\n", "HEALTHCHECK NONE takes no arguments");
  rejects("FROM a\nHEALTHCHECK\n", "HEALTHCHECK requires at least one argument");
});

test("parseInstructions suggests the instruction an unknown one was meant to be", () => {
  rejects("FORM alpine\n", "unknown instruction: FORM (did you mean FROM?)", 1);
  rejects("FROM a\n  cpoy a b\n", "unknown instruction: cpoy (did you mean copy?)", 2, 3);
  rejects("FROM a\nFOOBAR x\n", "unknown instruction: FOOBAR");
});

test("parseInstructions keeps comments, original text and ranges", () => {
  const [, run] = parse("FROM a\n# build it\nRUN make \\\n  all\n");
  assert.deepEqual(run!.comments, ["build it"]);
  assert.equal(run!.original, "RUN make   all");
  assert.deepEqual(run!.range, { start: { line: 3, column: 1 }, end: { line: 4, column: 6 } });
});
