import assert from "node:assert/strict";
import { test } from "node:test";
import { LINE_INFO_DOCKERFILE, PARSER_GOLDEN, PARSER_NEGATIVE } from "./_testing-parser-golden.js";
import { DockerfileError } from "./errors.js";
import { dumpAst, dumpNode, nodeArgs, parseDockerfile } from "./parser.js";

function dump(text: string): string {
  return dumpAst(parseDockerfile(text).nodes);
}

function assertDockerfileError(fn: () => unknown, detail: string | RegExp, line: number, column = 1): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DockerfileError, `expected DockerfileError, got ${String(err)}`);
    if (typeof detail === "string") assert.equal(err.detail, detail);
    else assert.match(err.detail, detail);
    assert.equal(err.line, line, "line");
    assert.equal(err.column, column, "column");
    assert.equal(err.kind, "invalid-argument");
    assert.equal(err.message, `${err.file}:${line}:${column}: ${err.detail}`);
    return true;
  });
}

test("parseDockerfile matches BuildKit's golden AST dumps", () => {
  for (const c of PARSER_GOLDEN) assert.equal(dump(c.dockerfile), c.dump, c.name);
});

test("parseDockerfile refuses BuildKit's negative test files", () => {
  for (const c of PARSER_NEGATIVE)
    assert.throws(() => parseDockerfile(c.dockerfile), DockerfileError, c.name);
});

const TABLE: readonly [string, string][] = [
  ["FROM alpine AS build\n", '(from "alpine" "AS" "build")'],
  ["COPY --from=build --chown=1:1 /a /b\n", '(copy ["--from=build" "--chown=1:1"] "/a" "/b")'],
  [
    "RUN --mount=type=cache,target=/root/.cache go build\n",
    '(run ["--mount=type=cache,target=/root/.cache"] "go build")',
  ],
  ['RUN --mount="type=bind,source=a b" ls\n', '(run ["--mount=type=bind,source=a b"] "ls")'],
  ['CMD ["sh", "-c", "echo hi"]\n', '(cmd "sh" "-c" "echo hi")'],
  ["CMD [\"a\", 'b']\n", '(cmd "[\\"a\\", \'b\']")'],
  ['ENTRYPOINT ["a"] trailing\n', '(entrypoint "[\\"a\\"] trailing")'],
  ['ENV A=1 B="two words"\n', '(env "A" "1" "=" "B" "\\"two words\\"" "=")'],
  ["LABEL a=b c=d\n", '(label "a" "b" "=" "c" "d" "=")'],
  ["ARG A B=2\n", '(arg "A" "B=2")'],
  ["ONBUILD RUN make\n", '(onbuild (run "make"))'],
  ["ONBUILD COPY --from=x a b\n", '(onbuild (copy ["--from=x"] "a" "b"))'],
  ['HEALTHCHECK --interval=1s CMD ["curl", "-f"]\n', '(healthcheck ["--interval=1s"] "CMD" "curl" "-f")'],
  ['VOLUME ["/a", "/b"]\n', '(volume "/a" "/b")'],
  ["EXPOSE 80/tcp 443\n", '(expose "80/tcp" "443")'],
  ["USER app:app\n", '(user "app:app")'],
  ["run echo lower\n", '(run "echo lower")'],
  ["FROM a\r\nRUN b \\\r\n  c\r\n", '(from "a")\n(run "b   c")'],
  ["\ufeffFROM bom\n", '(from "bom")'],
  ["  FROM indented\n", '(from "indented")'],
  ["FROM a\nRUN x \\\n# comment in continuation\n  y\n", '(from "a")\n(run "x   y")'],
  ["FROM a\nNOSUCH thing\n", '(from "a")\n(nosuch)'],
];

test("parseDockerfile parses a table of instructions", () => {
  for (const [text, expected] of TABLE) assert.equal(dump(text), expected, JSON.stringify(text));
});

test("parseDockerfile marks exec form and keeps shell form for invalid JSON", () => {
  const { nodes } = parseDockerfile('CMD ["a"]\nCMD [a]\nRUN ["x",]\nSHELL ["/bin/bash", "-c"]\n');
  assert.deepEqual(
    nodes.map((n) => [n.json, n.args]),
    [
      [true, ["a"]],
      [false, ["[a]"]],
      [false, ['["x",]']],
      [true, ["/bin/bash", "-c"]],
    ],
  );
});

test("parseDockerfile refuses a JSON array of non-strings", () => {
  assertDockerfileError(
    () => parseDockerfile("FROM a\nCMD [1, 2]\n", { file: "app/Dockerfile" }),
    "when using JSON array syntax, arrays must be comprised of strings only",
    2,
  );
});

test("parseDockerfile records line ranges like BuildKit's testfile-line", () => {
  const { nodes } = parseDockerfile(LINE_INFO_DOCKERFILE);
  assert.deepEqual(
    nodes.map((n) => [n.range.start.line, n.range.end.line]),
    [
      [5, 5],
      [11, 12],
      [17, 31],
    ],
  );
});

test("parseDockerfile records columns from the keyword to the end of the last line", () => {
  const { nodes } = parseDockerfile("FROM a\n   RUN echo \\\n  done\n");
  assert.deepEqual(nodes[1]!.range, { start: { line: 2, column: 4 }, end: { line: 3, column: 7 } });
});

test("parseDockerfile warns on empty continuation lines", () => {
  const text = "FROM a\nRUN valid \\\n    continuation\nRUN something \\\n\n    following \\\n\n    more\n";
  const { warnings, nodes } = parseDockerfile(text);
  assert.equal(nodes.length, 3);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.code, "NoEmptyContinuation");
  assert.match(warnings[0]!.message, /RUN something {5}following {5}more/);
});

test("parseDockerfile collects comments above an instruction", () => {
  const { nodes } = parseDockerfile(
    "# syntax=docker/dockerfile:1\n# base image\n#\n# builder stage\nFROM a AS b\n",
  );
  assert.deepEqual(nodes[0]!.comments, ["builder stage"]);
});

test("parseDockerfile reads parser directives at the top only", () => {
  const r = parseDockerfile(
    "# syntax = docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n# escape=`\nFROM a\nRUN b `\n  c\n",
  );
  assert.equal(r.escapeToken, "`");
  assert.deepEqual(
    r.directives.map((d) => [d.name, d.value, d.line]),
    [
      ["syntax", "docker/dockerfile:1", 1],
      ["check", "skip=JSONArgsRecommended", 2],
      ["escape", "`", 3],
    ],
  );
  assert.equal(dumpNode(r.nodes[1]!), 'run "b   c"');
});

test("parseDockerfile ignores directives after the first non-directive line and warns", () => {
  for (const text of [
    "FROM a\n# escape=`\nRUN b \\\n c\n",
    "# hello\n# escape=`\nFROM a\n",
    "\n# escape=`\nFROM a\n",
  ]) {
    const r = parseDockerfile(text);
    assert.equal(r.escapeToken, "\\", text);
    assert.deepEqual(r.directives, []);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ["MisplacedDirective"],
    );
  }
  assert.deepEqual(parseDockerfile("# EScape=\\\n# KEY = FOO bar\nFROM a\n").directives.length, 1);
  // A `# check=` comment above an instruction configures checks for it: no warning.
  assert.deepEqual(parseDockerfile("FROM a\n# check=skip=JSONArgsRecommended\nCMD x\n").warnings, []);
});

test("parseDockerfile refuses repeated and invalid directives", () => {
  assertDockerfileError(
    () => parseDockerfile("# escape=`\n# escape=\\\nFROM a\n"),
    "only one escape parser directive can be used",
    2,
  );
  assertDockerfileError(
    () => parseDockerfile("# escape=x\nFROM a\n"),
    "invalid escape token 'x' does not match ` or \\",
    1,
  );
});

test("parseDockerfile refuses files without instructions", () => {
  assertDockerfileError(() => parseDockerfile(""), "file with no instructions", 1);
  assertDockerfileError(() => parseDockerfile("# only\n# comments\n\n"), "file with no instructions", 3);
});

test("parseDockerfile refuses lines longer than 65535 bytes", () => {
  const text = `FROM a\nLABEL test=${"a".repeat(65536)}\n`;
  assertDockerfileError(
    () => parseDockerfile(text),
    "dockerfile line greater than max allowed size of 65535",
    2,
  );
});

test("parseDockerfile errors name the file, line and column", () => {
  assertDockerfileError(
    () => parseDockerfile("FROM a\n\n  ENV PATH\n", { file: "sub/Dockerfile.dev" }),
    "ENV must have two arguments",
    3,
    3,
  );
  assertDockerfileError(
    () => parseDockerfile("FROM a\nENV a=b c\n"),
    `Syntax error - can't find = in "c". Must be of the form: name=value`,
    2,
  );
});

const HEREDOCS = `FROM alpine:3.6
RUN <<EMPTY
EMPTY
RUN 3<<EMPTY2
EMPTY2
RUN "<<NOHEREDOC"
RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2
RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND
COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2
COPY <<X <<Y /dest
Y
X
X
Y
RUN <<eo'f'
echo foo
eof
RUN <<eo\\'f
echo foo
eo'f
RUN <<'one two'
echo bar
one two
RUN <<  EOF  > foo
EOF
RUN ["<<EOF"]
ONBUILD RUN <<EOF
echo onbuild
EOF
USER <<INVALID
`;

test("parseDockerfile attaches heredoc bodies as BuildKit does", () => {
  const { nodes } = parseDockerfile(HEREDOCS);
  const docs = nodes.map((n) =>
    n.heredocs.map((h) => [h.name, h.content, h.expand, h.chomp, h.fileDescriptor]),
  );
  assert.deepEqual(docs, [
    [],
    [["EMPTY", "", true, false, 0]],
    [["EMPTY2", "", true, false, 3]],
    [],
    [["UNINDENT2", "\tbaz\n\tquux\n", true, true, 0]],
    [["NOEXPAND", "\tdon't expand $NAME\n", false, true, 0]],
    [
      ["FILE1", "content 1\n", true, false, 0],
      ["FILE2", "content 2\n", true, false, 0],
    ],
    [
      ["X", "Y\n", true, false, 0],
      ["Y", "X\n", true, false, 0],
    ],
    [["eof", "echo foo\n", false, false, 0]],
    [["eo'f", "echo foo\n", true, false, 0]],
    [["one two", "echo bar\n", false, false, 0]],
    [["EOF", "", true, false, 0]],
    [],
    [["EOF", "echo onbuild\n", true, false, 0]],
    [],
  ]);
  assert.equal(nodes[6]!.range.end.line, 18);
  assert.deepEqual(nodeArgs(nodes[13]!), ["RUN", "<<EOF"]);
  assert.equal(nodes[13]!.sub!.heredocs.length, 1);
});

test("parseDockerfile refuses an unterminated heredoc at its instruction", () => {
  assertDockerfileError(() => parseDockerfile("FROM a\n RUN <<EOF\necho\n"), "unterminated heredoc", 2, 2);
  assertDockerfileError(
    () => parseDockerfile("FROM a\nCOPY <<A <<B /x\na\nA\nb\n"),
    "unterminated heredoc",
    2,
  );
});
