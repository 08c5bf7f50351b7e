import type { ImageRecord } from "../../image/store.js";
import { conflict, invalidArgument, notFound } from "../../lib/errors.js";
import type { KeyedMutex } from "../../lib/lock.js";
import type { ImageConfig } from "../../oci/image-config.js";
import type { Snapshotter } from "../../snapshot/snapshotter.js";
import type { RecordStore } from "../state/record-store.js";
import type { VolumeService } from "../volumes/service.js";
import type { ContainerNetworking } from "./networking.js";
import type { ContainerRecord } from "./record.js";

export interface ContainerEvent {
  Type: "container";
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

/** What the container use cases need; daemon.ts builds it. */
export interface ContainerDeps {
  store: RecordStore<ContainerRecord>;
  images: {
    resolve(nameOrId: string): ImageRecord;
    config(id: string): Promise<ImageConfig>;
  };
  snapshots: Snapshotter;
  /** Volumes: created on first use, mounted at start, released at exit (daemon/volumes). */
  volumes: Pick<VolumeService, "ensure" | "mount" | "unmount" | "removeIfUnused">;
  /** <exec-root>/containers: bundles, exit files, attach sockets (gone after a reboot). */
  runDir: string;
  /** One operation at a time per container (start, stop, rm, ...). */
  locks: KeyedMutex;
  publish(event: ContainerEvent): void;
  /** Resolves waiters when a container changes state; see wait.ts. */
  changed(id: string): void;
  /** The bridge networks (default and user-defined); set by the daemon once they are open. */
  network?: ContainerNetworking;
}

/** Docker's lookup: full id, name (with or without "/"), or a unique id prefix. */
export function findContainer(deps: Pick<ContainerDeps, "store">, ref: string): ContainerRecord {
  const found = lookupContainer(deps, ref);
  if (!found) throw notFound(`No such container: ${ref}`);
  return found;
}

export function lookupContainer(
  deps: Pick<ContainerDeps, "store">,
  ref: string,
): ContainerRecord | undefined {
  if (ref === "") throw invalidArgument("container name or ID must not be empty");
  const all = deps.store.all();
  const byId = deps.store.get(ref);
  if (byId) return byId;
  const name = ref.startsWith("/") ? ref.slice(1) : ref;
  const byName = all.find((c) => c.name === name);
  if (byName) return byName;
  if (/^[a-f0-9]+$/.test(ref)) {
    const hits = all.filter((c) => c.id.startsWith(ref));
    if (hits.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${ref}`);
    return hits[0];
  }
  return undefined;
}

export function assertNameFree(deps: Pick<ContainerDeps, "store">, name: string, self?: string): void {
  const holder = deps.store.all().find((c) => c.name === name && c.id !== self);
  if (holder) {
    throw conflict(
      `Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  }
}

export function eventAttributes(c: ContainerRecord): Record<string, string> {
  return { ...(c.config.Labels ?? {}), image: c.imageName, name: c.name };
}
