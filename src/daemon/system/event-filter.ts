/**
 * Which events a `docker events --filter ...` subscriber sees (moby daemon/events/filter.go). (pure)
 *
 * All filter keys must match (AND); the values of one key are alternatives (OR). Name-like keys
 * (container, network, volume, daemon, plugin, ...) match the actor's ID or its "name" attribute by
 * prefix, so a key for another object type excludes events of this type. `image` matches an image
 * event's ID or name, or a container event's "image" attribute, with or without the tag. `label`
 * matches the actor's attributes ("k" or "k=v", all must be present).
 */
import {
  exactMatch,
  type Filters,
  filterValues,
  fuzzyMatch,
  hasFilter,
  matchKVList,
  validateFilters,
} from "../../api/types/filters.js";
import type { EventMessage } from "../../api/types/system.js";

export const EVENT_FILTER_KEYS = [
  "config",
  "container",
  "daemon",
  "event",
  "image",
  "label",
  "network",
  "node",
  "plugin",
  "scope",
  "secret",
  "service",
  "type",
  "volume",
] as const;

const NAME_KEYS = [
  "daemon",
  "container",
  "plugin",
  "volume",
  "network",
  "service",
  "node",
  "secret",
  "config",
];

/** Actions Docker matches by prefix, since they carry a suffix ("exec_start: sh -c ...", "health_status: healthy"). */
const PREFIX_ACTIONS = ["health_status", "exec_create", "exec_start"];

export type EventPredicate = (event: EventMessage) => boolean;

/** Validates the filter keys (invalid-argument on an unknown one) and returns the predicate. */
export function compileEventFilter(filters: Filters): EventPredicate {
  validateFilters(filters, EVENT_FILTER_KEYS);
  return (event) => matchesEvent(filters, event);
}

/** True when `event` passes every filter. */
export function matchesEvent(filters: Filters, event: EventMessage): boolean {
  return (
    matchAction(filters, event.Action) &&
    exactMatch(filters, "type", event.Type) &&
    exactMatch(filters, "scope", event.scope) &&
    NAME_KEYS.every((key) => matchName(filters, key, event)) &&
    matchImage(filters, event) &&
    (!hasFilter(filters, "label") || matchKVList(filters, "label", event.Actor.Attributes))
  );
}

function matchAction(filters: Filters, action: string): boolean {
  const values = filterValues(filters, "event");
  if (values.some((v) => PREFIX_ACTIONS.includes(v))) return fuzzyMatch(filters, "event", action);
  return exactMatch(filters, "event", action);
}

function matchName(filters: Filters, key: string, event: EventMessage): boolean {
  return (
    fuzzyMatch(filters, key, event.Actor.ID) || fuzzyMatch(filters, key, event.Actor.Attributes.name ?? "")
  );
}

function matchImage(filters: Filters, event: EventMessage): boolean {
  const id = event.Actor.ID;
  const name = event.Actor.Attributes[event.Type === "image" ? "name" : "image"] ?? "";
  return (
    exactMatch(filters, "image", id) ||
    exactMatch(filters, "image", name) ||
    exactMatch(filters, "image", familiarNameWithoutTag(id)) ||
    exactMatch(filters, "image", familiarNameWithoutTag(name))
  );
}

/**
 * "docker.io/library/busybox:1.36" -> "busybox", "localhost:5000/a/b:1" -> "localhost:5000/a/b",
 * "x@sha256:..." -> "x". Ids ("sha256:abc...") come back unchanged.
 */
export function familiarNameWithoutTag(ref: string): string {
  if (ref === "" || /^sha256:[0-9a-f]+$/.test(ref)) return ref;
  let name = ref;
  const at = name.indexOf("@");
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > slash) name = name.slice(0, colon);
  if (name.startsWith("docker.io/")) name = name.slice("docker.io/".length);
  else if (name.startsWith("index.docker.io/")) name = name.slice("index.docker.io/".length);
  if (name.startsWith("library/") && name.indexOf("/", "library/".length) < 0) {
    name = name.slice("library/".length);
  }
  return name;
}
