import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFilters } from "../../api/types/filters.js";
import type { EventMessage, EventType } from "../../api/types/system.js";
import { BerthError } from "../../lib/errors.js";
import { compileEventFilter, familiarNameWithoutTag, matchesEvent } from "./event-filter.js";

function ev(
  Type: EventType,
  Action: string,
  ID: string,
  Attributes: Record<string, string> = {},
): EventMessage {
  return { Type, Action, Actor: { ID, Attributes }, scope: "local", time: 1, timeNano: 1e9 };
}

const containerStart = ev("container", "start", "c0ffee1234", {
  name: "web-1",
  image: "docker.io/library/busybox:1.36",
  app: "shop",
});
const imageTag = ev("image", "tag", "sha256:abcd", { name: "localhost:5000/team/tool:2" });
const netCreate = ev("network", "create", "n123", { name: "backend", type: "bridge" });
const execStart = ev("container", "exec_start: sh -c true", "c0ffee1234", { name: "web-1" });
const health = ev("container", "health_status: healthy", "c0ffee1234", { name: "web-1" });

const sees = (filters: string, event: EventMessage) => matchesEvent(parseFilters(filters), event);

describe("matchesEvent", () => {
  it("matchesEvent passes everything without filters", () => {
    for (const e of [containerStart, imageTag, netCreate]) assert.equal(sees("{}", e), true);
  });

  it("matchesEvent filters by type and event (OR within a key)", () => {
    assert.equal(sees('{"type":["container"]}', containerStart), true);
    assert.equal(sees('{"type":["container"]}', imageTag), false);
    assert.equal(sees('{"type":["image","network"]}', netCreate), true);
    assert.equal(sees('{"event":["stop","start"]}', containerStart), true);
    assert.equal(sees('{"event":["stop"]}', containerStart), false);
  });

  it("matchesEvent ANDs different keys", () => {
    assert.equal(sees('{"type":["container"],"event":["start"]}', containerStart), true);
    assert.equal(sees('{"type":["container"],"event":["die"]}', containerStart), false);
  });

  it("matchesEvent matches exec_start and health_status by prefix", () => {
    assert.equal(sees('{"event":["exec_start"]}', execStart), true);
    assert.equal(sees('{"event":["health_status"]}', health), true);
    assert.equal(sees('{"event":["exec"]}', execStart), false);
  });

  it("matchesEvent matches container by id prefix or name prefix", () => {
    assert.equal(sees('{"container":["c0ffee"]}', containerStart), true);
    assert.equal(sees('{"container":["web-1"]}', containerStart), true);
    assert.equal(sees('{"container":["web"]}', containerStart), true);
    assert.equal(sees('{"container":["db"]}', containerStart), false);
  });

  it("matchesEvent excludes other object types when a name filter is set", () => {
    assert.equal(sees('{"container":["web"]}', netCreate), false);
    assert.equal(sees('{"network":["backend"]}', netCreate), true);
    assert.equal(sees('{"network":["backend"]}', containerStart), false);
    assert.equal(sees('{"volume":["data"]}', netCreate), false);
  });

  it("matchesEvent matches image by id, name, and name without tag", () => {
    assert.equal(sees('{"image":["sha256:abcd"]}', imageTag), true);
    assert.equal(sees('{"image":["localhost:5000/team/tool:2"]}', imageTag), true);
    assert.equal(sees('{"image":["localhost:5000/team/tool"]}', imageTag), true);
    assert.equal(sees('{"image":["localhost:5000/team"]}', imageTag), false);
  });

  it("matchesEvent matches container events by their image attribute", () => {
    assert.equal(sees('{"image":["busybox"]}', containerStart), true);
    assert.equal(sees('{"image":["docker.io/library/busybox:1.36"]}', containerStart), true);
    assert.equal(sees('{"image":["alpine"]}', containerStart), false);
  });

  it("matchesEvent matches labels against attributes", () => {
    assert.equal(sees('{"label":["app=shop"]}', containerStart), true);
    assert.equal(sees('{"label":["app"]}', containerStart), true);
    assert.equal(sees('{"label":["app=bank"]}', containerStart), false);
    assert.equal(sees('{"label":["app","tier"]}', containerStart), false);
  });

  it("matchesEvent filters by scope", () => {
    assert.equal(sees('{"scope":["local"]}', containerStart), true);
    assert.equal(sees('{"scope":["swarm"]}', containerStart), false);
  });

  it("matchesEvent matches the daemon by id or name", () => {
    const reload = ev("daemon", "reload", "DAEMONID", { name: "host1" });
    assert.equal(sees('{"daemon":["host1"]}', reload), true);
    assert.equal(sees('{"daemon":["DAEMON"]}', reload), true);
    assert.equal(sees('{"daemon":["other"]}', reload), false);
  });
});

describe("compileEventFilter", () => {
  it("compileEventFilter rejects unknown keys", () => {
    assert.throws(
      () => compileEventFilter(parseFilters('{"colour":["red"]}')),
      (e: unknown) =>
        e instanceof BerthError && e.kind === "invalid-argument" && e.message === "invalid filter 'colour'",
    );
  });

  it("compileEventFilter returns a predicate equal to matchesEvent", () => {
    const p = compileEventFilter(parseFilters('{"type":["image"]}'));
    assert.equal(p(imageTag), true);
    assert.equal(p(containerStart), false);
  });
});

describe("familiarNameWithoutTag", () => {
  it("familiarNameWithoutTag strips tag, digest and docker.io/library", () => {
    assert.equal(familiarNameWithoutTag("docker.io/library/busybox:1.36"), "busybox");
    assert.equal(familiarNameWithoutTag("busybox"), "busybox");
    assert.equal(familiarNameWithoutTag("docker.io/me/app:1"), "me/app");
    assert.equal(familiarNameWithoutTag("localhost:5000/a/b:1"), "localhost:5000/a/b");
    assert.equal(familiarNameWithoutTag("localhost:5000/a"), "localhost:5000/a");
    assert.equal(familiarNameWithoutTag("x@sha256:0123"), "x");
    assert.equal(familiarNameWithoutTag("sha256:0123abcd"), "sha256:0123abcd");
    assert.equal(familiarNameWithoutTag(""), "");
  });
});
