import assert from "node:assert/strict";
import { test } from "node:test";
import { DOCKER_TABLE, displayWidth, renderTable, tabwrite } from "./table.js";

// Expected outputs below were produced by Go's text/tabwriter.NewWriter(out, 10, 1, 3, ' ', 0).

test("tabwrite aligns docker images columns exactly", () => {
  const text =
    "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n" +
    "ubuntu\t22.04\tabcdef123456\t2 weeks ago\t77.8MB\n" +
    "alpine\tlatest\t0123456789ab\t3 months ago\t7.38MB\n";
  assert.equal(
    tabwrite(text),
    "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\n" +
      "ubuntu       22.04     abcdef123456   2 weeks ago    77.8MB\n" +
      "alpine       latest    0123456789ab   3 months ago   7.38MB\n",
  );
});

test("tabwrite pads columns to at least minwidth and widest cell plus padding", () => {
  assert.equal(tabwrite("a\tb\n"), "a         b\n");
  const long = "x".repeat(30);
  assert.equal(tabwrite(`col\tcol2\n${long}\ty\n`), `col${" ".repeat(30)}col2\n${long}   y\n`);
});

test("tabwrite leaves text after the last tab unpadded and keeps a missing final newline", () => {
  assert.equal(tabwrite("a\tb"), "a         b");
  assert.equal(tabwrite("trailing\t\n"), "trailing   \n");
  assert.equal(tabwrite(""), "");
  assert.equal(tabwrite("x\n"), "x\n");
});

test("tabwrite treats a line without tabs as the end of every column", () => {
  assert.equal(
    tabwrite("a\tb\nno tabs here\na\tbbbbbbbbbbbbbbbbbb\n"),
    "a         b\nno tabs here\na         bbbbbbbbbbbbbbbbbb\n",
  );
});

test("tabwrite aligns a column only over adjacent lines that have it", () => {
  assert.equal(
    tabwrite("aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n"),
    "aaaa      bbb       d\naa        b         dd\na         \naa        cccc      eee\n",
  );
});

test("tabwrite handles empty cells, vertical tabs and form feeds", () => {
  assert.equal(tabwrite("ID\tNAME\n1\t\n\t2\n"), "ID        NAME\n1         \n          2\n");
  assert.equal(tabwrite("a\vb\tc\n"), "a         b         c\n");
  assert.equal(tabwrite("a\fb\tc\nd\te\n"), "a\nb         c\nd         e\n");
});

test("tabwrite measures wide characters as two columns", () => {
  // docker's fork counts terminal columns (go-runewidth), not runes as Go's own tabwriter does.
  assert.equal(tabwrite("日本語\tx\nab\ty\n"), "日本語    x\nab        y\n");
  assert.equal(displayWidth("日本語"), 6);
  assert.equal(displayWidth("héllo"), 5);
  assert.equal(displayWidth("e\u0301"), 1);
});

test("tabwrite supports tab padding", () => {
  assert.equal(
    tabwrite("a\tb\naaaaaaaaa\tc\n", { minWidth: 0, tabWidth: 8, padding: 1, padChar: "\t" }),
    "a\t\tb\naaaaaaaaa\tc\n",
  );
});

test("renderTable joins header and rows with docker's writer", () => {
  assert.deepEqual(DOCKER_TABLE, { minWidth: 10, tabWidth: 1, padding: 3, padChar: " " });
  assert.equal(
    renderTable(
      ["CONTAINER ID", "NAMES"],
      [
        ["abc", "web"],
        ["defdefdefdef", "db"],
      ],
    ),
    "CONTAINER ID   NAMES\nabc            web\ndefdefdefdef   db\n",
  );
  assert.equal(renderTable(["VOLUME NAME"], []), "VOLUME NAME\n");
});
