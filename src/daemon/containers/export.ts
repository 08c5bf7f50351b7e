/**
 * `docker export` (GET /containers/{id}/export): a tar of the container's merged filesystem, as
 * the container sees its root (without its bind mounts, as with Docker). A stopped container's
 * layers are mounted read-only for the duration of the stream.
 */
import { Readable } from "node:stream";
import { type ContainerDeps, eventAttributes } from "./deps.js";
import { leaseRootfs } from "./rootfs-access.js";
import { tarTree } from "./tar-tree.js";

/** The tar stream; the mount (if any) goes away when the stream ends or is destroyed. */
export async function exportContainer(deps: ContainerDeps, ref: string): Promise<Readable> {
  const lease = await leaseRootfs(deps, ref, { writable: false });
  let stream: Readable;
  try {
    stream = Readable.from(tarTree(lease.root, { topName: "" }), { objectMode: false });
  } catch (err) {
    await lease.release();
    throw err;
  }
  stream.once("close", () => void lease.release());
  const c = lease.container;
  deps.publish({ Type: "container", Action: "export", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  return stream;
}
