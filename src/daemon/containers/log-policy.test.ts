import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_LOG_POLICY, logPolicy, rotationPlan } from "./log-policy.js";

test("logPolicy reads Docker's max-size and max-file and bounds logs by default", () => {
  assert.deepEqual(logPolicy({}), DEFAULT_LOG_POLICY);
  assert.deepEqual(
    logPolicy({ LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } } }),
    {
      maxSize: 10 * 1024 * 1024,
      maxFile: 3,
    },
  );
  assert.equal(
    logPolicy({ LogConfig: { Type: "json-file", Config: { "max-size": "512k" } } }).maxSize,
    512 * 1024,
  );
});

test("logPolicy refuses bad values and unknown drivers", () => {
  assert.throws(
    () => logPolicy({ LogConfig: { Type: "json-file", Config: { "max-size": "12zz" } } }),
    /invalid max-size/,
  );
  assert.throws(
    () => logPolicy({ LogConfig: { Type: "json-file", Config: { "max-file": "0" } } }),
    /invalid max-file/,
  );
  assert.throws(() => logPolicy({ LogConfig: { Type: "syslog", Config: {} } }), /not supported/);
  assert.throws(
    () => logPolicy({ LogConfig: { Type: "json-file", Config: { bogus: "1" } } }),
    /unknown log opt 'bogus'/,
  );
});

test("rotationPlan shifts older files and drops the oldest", () => {
  assert.deepEqual(rotationPlan("c.log", 3), {
    drop: "c.log.2",
    renames: [
      ["c.log.1", "c.log.2"],
      ["c.log", "c.log.1"],
    ],
  });
  assert.deepEqual(rotationPlan("c.log", 1), { drop: "c.log", renames: [] });
});
