import assert from "node:assert/strict";
import { test } from "node:test";
import { chompHeredocContent, heredocsFromLine, parseHeredoc } from "./heredoc.js";

test("parseHeredoc recognises heredoc words", () => {
  for (const src of [
    "<<EOF",
    "<<'EOF'",
    '<<"EOF"',
    "<<-EOF",
    "<<-'EOF'",
    '<<-"EOF"',
    '<<EO"F"',
    "<< EOF",
    "<<- EOF",
  ]) {
    assert.equal(parseHeredoc(src)?.name, "EOF", src);
  }
  for (const src of ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"])
    assert.equal(parseHeredoc(src), undefined);
  for (const src of ["<<'EOF", '<<"EOF', "<<EOF'", '<<EOF"']) assert.throws(() => parseHeredoc(src), src);
  assert.equal(parseHeredoc('<<"EOF"')?.expand, false);
  assert.equal(parseHeredoc("<<EOF")?.expand, true);
});

test("heredocsFromLine finds every heredoc on a line", () => {
  const names = (line: string) => heredocsFromLine(line).map((h) => h.name);
  assert.deepEqual(names("RUN <<EOF"), ["EOF"]);
  // As in BuildKit, "<<-" followed by a space splits into two words: no heredoc.
  assert.deepEqual(names("RUN <<- EOF"), []);
  assert.deepEqual(names("RUN << -EOF"), ["-EOF"]);
  assert.deepEqual(names("RUN 4<<EOF"), ["EOF"]);
  assert.deepEqual(names("RUN <<EOF <<EOF2"), ["EOF", "EOF2"]);
  assert.deepEqual(names("RUN '<<EOF'"), []);
  assert.deepEqual(names('RUN "<<EOF"'), []);
});

test("chompHeredocContent strips leading tabs", () => {
  assert.equal(chompHeredocContent("\thello\n\t\tworld\n  x\n"), "hello\nworld\n  x\n");
});
