import assert from "node:assert/strict";
import { test } from "node:test";
import { ProgressDisplay } from "./progress-display.js";

function capture(tty: boolean) {
  let text = "";
  const d = new ProgressDisplay({ write: (s: string) => (text += s) }, { tty });
  return { d, text: () => text };
}

test("ProgressDisplay prints one plain line per status change without a terminal", () => {
  const { d, text } = capture(false);
  d.show({ status: "Pulling from test/x", id: "1" });
  d.show({ status: "Pulling fs layer", id: "abc" });
  d.show({ status: "Downloading", id: "abc", progressDetail: { current: 1, total: 2 }, progress: "[=> ]" });
  d.show({ status: "Download complete", id: "abc" });
  d.show({ status: "Download complete", id: "abc" });
  d.show({ status: "Digest: sha256:00" });
  assert.equal(
    text(),
    "1: Pulling from test/x\nabc: Pulling fs layer\nabc: Download complete\nDigest: sha256:00\n",
  );
});

test("ProgressDisplay rewrites a layer's line in place on a terminal", () => {
  const { d, text } = capture(true);
  d.show({ status: "Pulling fs layer", id: "a" });
  d.show({ status: "Pulling fs layer", id: "b" });
  d.show({ status: "Downloading", id: "a", progress: "[=>  ]" });
  assert.equal(
    text(),
    "a: Pulling fs layer\nb: Pulling fs layer\n\x1b[2A\r\x1b[2Ka: Downloading [=>  ]\x1b[2B\r",
  );
});

test("ProgressDisplay throws the stream's error", () => {
  const { d } = capture(false);
  assert.throws(() => d.show({ error: "boom", errorDetail: { message: "boom" } }), /boom/);
});
