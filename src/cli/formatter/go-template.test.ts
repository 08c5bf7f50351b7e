import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { compileTemplate, HEADER_FUNCS } from "./go-template.js";
import { GOLDEN_SETS } from "./testdata/go-template-golden.js";

function run(src: string, data: unknown): string {
  return compileTemplate(src).execute(data);
}

function parseError(src: string): string {
  try {
    compileTemplate(src);
  } catch (err) {
    assert.ok(err instanceof BerthError);
    assert.equal(err.kind, "invalid-argument");
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(src)} not to parse`);
}

function execError(src: string, data: unknown): string {
  const t = compileTemplate(src);
  try {
    t.execute(data);
  } catch (err) {
    assert.ok(err instanceof BerthError);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(src)} to fail`);
}

const IMAGE = {
  ID: "sha256:abcdef",
  Repository: "ubuntu",
  Tag: "22.04",
  Names: "web",
  Config: { Env: ["PATH=/usr/bin", "A=1"], Labels: { maintainer: "me", "org.version": "1" }, Cmd: null },
};

test("compileTemplate matches Go's text/template on the golden cases", () => {
  for (const set of GOLDEN_SETS) {
    for (const [src, out, err] of set.cases) {
      let got: string | undefined;
      let gotErr: string | undefined;
      try {
        got = compileTemplate(src).execute(set.data);
      } catch (e) {
        gotErr = (e as Error).message;
      }
      if (err !== undefined) assert.equal(gotErr, err, `template ${JSON.stringify(src)}`);
      else assert.equal(got, out, `template ${JSON.stringify(src)}`);
    }
  }
});

test("compileTemplate prints text, fields and nested fields", () => {
  assert.equal(run("plain text", {}), "plain text");
  assert.equal(run("{{.ID}}\t{{.Repository}}", IMAGE), "sha256:abcdef\tubuntu");
  assert.equal(run("{{.Config.Env}}", IMAGE), "[PATH=/usr/bin A=1]");
  assert.equal(run("{{.Config.Labels}}", IMAGE), "map[maintainer:me org.version:1]");
  assert.equal(run("{{.}}", "just a string"), "just a string");
});

test("compileTemplate prints <no value> for missing keys and for nil results", () => {
  assert.equal(run("{{.Missing}}", IMAGE), "<no value>");
  assert.equal(run("{{.Missing.Deeper}}", IMAGE), "<no value>");
  assert.equal(run("{{.Config.Cmd}}", IMAGE), "<no value>");
  assert.equal(run("{{.Config.Labels.nope}}", IMAGE), "<no value>");
});

test("compileTemplate renders json like docker's json function", () => {
  assert.equal(run("{{json .Config.Env}}", IMAGE), '["PATH=/usr/bin","A=1"]');
  assert.equal(run("{{json .Config}}", IMAGE), JSON.stringify(IMAGE.Config));
  assert.equal(run("{{json .Missing}}", IMAGE), "null");
  assert.equal(run("{{json .}}", { H: "<a>&" }), '{"H":"<a>&"}');
});

test("compileTemplate keeps object key order in json (struct order)", () => {
  assert.equal(run("{{json .}}", { b: 1, a: 2 }), '{"b":1,"a":2}');
});

test("compileTemplate evaluates pipelines and docker's string functions", () => {
  assert.equal(run("{{.Names | upper}}", IMAGE), "WEB");
  assert.equal(run("{{.Names | upper | lower}}", IMAGE), "web");
  assert.equal(run('{{join .Config.Env ","}}', IMAGE), "PATH=/usr/bin,A=1");
  assert.equal(run('{{split "a:b:c" ":"}}', {}), "[a b c]");
  assert.equal(run('{{title "hello world"}}', {}), "Hello World");
  assert.equal(run("{{truncate .ID 6}}", IMAGE), "sha256");
  assert.equal(run("{{truncate .ID 100}}", IMAGE), IMAGE.ID);
  assert.equal(run("[{{pad .Names 1 2}}]", IMAGE), "[ web  ]");
  assert.equal(run('[{{pad "" 1 2}}]', IMAGE), "[]");
  assert.equal(run('{{printf "%-8s|%5d|%q" .Names 42 .Tag}}', IMAGE), 'web     |   42|"22.04"');
  assert.equal(run('{{.Tag | printf "tag=%s"}}', IMAGE), "tag=22.04");
  assert.equal(run("{{println .Names 1}}", IMAGE), "web 1\n");
});

test("compileTemplate evaluates len, index and slice", () => {
  assert.equal(run("{{len .Config.Env}} {{len .Config.Labels}} {{len .Names}}", IMAGE), "2 2 3");
  assert.equal(run("{{index .Config.Env 1}}", IMAGE), "A=1");
  assert.equal(run('{{index .Config.Labels "org.version"}}', IMAGE), "1");
  assert.equal(run("{{slice .Config.Env 1}}", IMAGE), "[A=1]");
  assert.equal(run("{{slice .Names 1 2}}", IMAGE), "e");
});

test("compileTemplate index of a missing label is empty, as for Go's map[string]string", () => {
  assert.equal(run('[{{index .Config.Labels "nope"}}]', IMAGE), "[]");
  assert.equal(run('[{{index .M "nope"}}]', { M: { a: 1 } }), "[<no value>]");
});

test("compileTemplate runs if / else if / else with Go truth", () => {
  const t = compileTemplate("{{if .A}}a{{else if .B}}b{{else}}c{{end}}");
  assert.equal(t.execute({ A: 1 }), "a");
  assert.equal(t.execute({ A: 0, B: "x" }), "b");
  assert.equal(t.execute({ A: [], B: {} }), "c");
  assert.equal(t.execute({ A: "", B: false }), "c");
  assert.equal(t.execute({}), "c");
  assert.equal(run("{{if and .A (not .B)}}y{{end}}", { A: true, B: false }), "y");
  assert.equal(run("{{or .A .B}}", { A: "", B: "fallback" }), "fallback");
  assert.equal(run("{{and .A .B}}", { A: "x", B: 0 }), "0");
});

test("compileTemplate compares with eq, ne, lt, le, gt, ge", () => {
  assert.equal(run('{{eq .S "a"}} {{eq .S "b" "a"}} {{ne .S "a"}}', { S: "a" }), "true true false");
  assert.equal(run("{{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}}", {}), "true true true false");
  assert.equal(run('{{lt "a" "b"}}', {}), "true");
  assert.equal(run("{{eq 1 1.0}}", {}), "true");
  assert.match(execError('{{lt 1 "a"}}', {}), /error calling lt: incompatible types for comparison$/);
  assert.match(execError("{{eq .A .A}}", { A: [1] }), /error calling eq: non-comparable type \[1\]/);
});

test("compileTemplate ranges over arrays, maps in key order, and integers", () => {
  assert.equal(run("{{range .}}[{{.}}]{{end}}", ["a", "b"]), "[a][b]");
  assert.equal(run("{{range $i, $e := .}}{{$i}}={{$e}} {{end}}", ["a", "b"]), "0=a 1=b ");
  assert.equal(run("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}", { b: 2, a: 1 }), "a=1;b=2;");
  assert.equal(run("{{range .}}x{{else}}empty{{end}}", []), "empty");
  assert.equal(run("{{range .Missing}}x{{else}}none{{end}}", {}), "none");
  assert.equal(run("{{range 3}}{{.}}{{end}}", {}), "012");
  assert.equal(run("{{range .}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", [1, 2, 3]), "13");
  assert.equal(run("{{range .}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", [1, 2, 3]), "1");
  assert.equal(
    run("{{range .Items}}{{$.Prefix}}{{.}} {{end}}", { Prefix: "-", Items: ["a", "b"] }),
    "-a -b ",
  );
});

test("compileTemplate supports with, variables and assignment", () => {
  assert.equal(run("{{with .Config}}{{.Env}}{{end}}", IMAGE), "[PATH=/usr/bin A=1]");
  assert.equal(run("{{with .Missing}}x{{else}}none{{end}}", IMAGE), "none");
  assert.equal(run("{{$x := .Names}}{{$x}}-{{$x}}", IMAGE), "web-web");
  assert.equal(run("{{$n := 0}}{{range .}}{{$n = .}}{{end}}{{$n}}", [1, 2, 3]), "3");
  assert.equal(run("{{$}}", "root"), "root");
});

test("compileTemplate trims whitespace around {{- and -}} and drops comments", () => {
  assert.equal(run("a  {{- .X -}}  b", { X: 1 }), "a1b");
  assert.equal(run("a\n{{- /* note */ -}}\nb", {}), "ab");
  assert.equal(run("{{/* comment */}}x", {}), "x");
  assert.equal(run("{{-3}}", {}), "-3");
});

test("compileTemplate understands Go literals", () => {
  assert.equal(
    run("{{\"a\\tb\"}}|{{`raw\\n`}}|{{1.5}}|{{0x10}}|{{'a'}}|{{true}}|{{1_000}}", {}),
    "a\tb|raw\\n|1.5|16|97|true|1000",
  );
});

test("compileTemplate calls function-valued properties as methods", () => {
  const row = { name: "x", Upper: () => "X", Greet: (who: unknown) => `hi ${who}` };
  assert.equal(run('{{.Upper}} {{.Greet "bob"}}', row), "X hi bob");
});

test("compileTemplate accepts extra functions and per-run replacements", () => {
  const t = compileTemplate("{{shout .}} {{upper .}}", {
    funcs: { shout: { params: ["string"], fn: (s: string) => `${s}!` } },
  });
  assert.equal(t.execute("hi"), "hi! HI");
  assert.equal(t.execute("hi", { funcs: HEADER_FUNCS }), "hi! hi");
});

test("compileTemplate reports Go's parse errors", () => {
  assert.equal(parseError("{{.Foo"), "template: :1: unclosed action");
  assert.equal(parseError("{{.Foo}"), "template: :1: bad character U+007D '}'");
  assert.equal(parseError("{{range}}"), "template: :1: missing value for range");
  assert.equal(parseError("{{end}}"), "template: :1: unexpected {{end}}");
  assert.equal(parseError("{{if .A}}x"), "template: :1: unexpected EOF");
  assert.equal(parseError("{{nofunc .X}}"), 'template: :1: function "nofunc" not defined');
  assert.equal(parseError("{{$x}}"), 'template: :1: undefined variable "$x"');
  assert.equal(parseError("{{}}"), "template: :1: missing value for command");
  assert.equal(parseError('{{"open}}'), "template: :1: unterminated quoted string");
  assert.equal(parseError("{{/* open"), "template: :1: unclosed comment");
  assert.equal(parseError("line1\n{{.A\n"), "template: :3: unclosed action started at :2");
  assert.equal(parseError("{{.A | 1}}"), "template: :1: non executable command in pipeline stage 2");
  assert.equal(parseError("{{break}}"), "template: :1: {{break}} outside {{range}}");
  assert.equal(parseError('{{template "x"}}'), "template: :1: {{template}} is not supported");
});

test("compileTemplate reports Go's execution errors with location and context", () => {
  assert.equal(
    execError("{{.ID.X}}", { ID: "a" }),
    'template: :1:5: executing "" at <.ID.X>: can\'t evaluate field X in type interface {}',
  );
  assert.equal(
    execError("x\n  {{.X.Y}}", { X: null }),
    'template: :2:6: executing "" at <.X.Y>: nil pointer evaluating interface {}.Y',
  );
  assert.equal(
    execError("{{upper .N}}", { N: 1 }),
    'template: :1:8: executing "" at <.N>: wrong type for value; expected string; got int',
  );
  assert.equal(
    execError("{{upper .Missing}}", {}),
    'template: :1:8: executing "" at <.Missing>: invalid value; expected string',
  );
  assert.equal(
    execError("{{upper}}", {}),
    'template: :1:2: executing "" at <upper>: wrong number of args for upper: want 1 got 0',
  );
  assert.equal(
    execError("{{index .A 5}}", { A: [1] }),
    'template: :1:2: executing "" at <index .A 5>: error calling index: index out of range: 5',
  );
  assert.equal(
    execError("{{range .}}{{end}}", "abc"),
    'template: :1:8: executing "" at <.>: range can\'t iterate over abc',
  );
  assert.equal(
    execError("{{truncate .S 1.5}}", { S: "x" }),
    'template: :1:14: executing "" at <1.5>: expected integer; found 1.5',
  );
});

test("compileTemplate execute with partialOnError keeps the text before an error", () => {
  const t = compileTemplate("a{{upper .N}}b");
  assert.equal(t.execute({ N: 1 }, { partialOnError: true }), "a");
});
