import type { ImageDeleteItem } from "../../api/types/images.js";
import { docOps } from "../../image/store.js";
import type { Digest } from "../../lib/digest.js";
import { conflict } from "../../lib/errors.js";
import { shortId } from "../../lib/ids.js";
import { familiarString, formatReference, parseReference, withDefaultTag } from "../../oci/reference.js";
import type { ImageDeps } from "./deps.js";
import { collectGarbage } from "./gc.js";

export interface RemoveOptions {
  force?: boolean;
  /** Keep untagged parents (Docker's noprune); berth has no parent chain to prune, so it is accepted as is. */
  noprune?: boolean;
}

/**
 * `docker rmi`, with Docker's rules: a name removes that tag, and the image once no tag is left;
 * an ID removes the image and all its tags, which needs -f when there are several; an image that
 * a container uses stays (-f untags it, but never removes an image a running container uses).
 */
export async function removeImage(
  deps: ImageDeps,
  name: string,
  opts: RemoveOptions = {},
): Promise<ImageDeleteItem[]> {
  return deps.writeLock.run(async () => {
    const img = deps.store.resolve(name);
    const tags = deps.store.tagsOf(img.id);
    const byName = !isIdLike(name, img.id);
    const users = deps.containersUsing(img.id);
    const items: ImageDeleteItem[] = [];

    let untag: string[];
    if (byName) {
      const ref = withDefaultTag(parseReference(name));
      const full = ref.digest ? undefined : formatReference(ref);
      untag = full && tags.includes(full) ? [full] : [];
      if (tags.length - untag.length > 0 || (ref.digest && tags.length > 0)) {
        // Other names remain: only this one goes.
        await untagAll(deps, img.id, untag, items);
        return items;
      }
    } else {
      if (tags.length > 1 && !opts.force) {
        throw conflict(
          `conflict: unable to delete ${shortId(img.id)} (must be forced) - image is referenced in multiple repositories`,
        );
      }
      untag = tags;
    }

    const running = users.find((u) => u.running);
    if (users.length > 0) {
      if (!opts.force) {
        const what = byName ? `remove repository reference "${name}"` : `delete ${shortId(img.id)}`;
        throw conflict(
          `conflict: unable to ${what} (must force) - container ${shortId(users[0]!.id)} is using its referenced image ${shortId(img.id)}`,
        );
      }
      if (running && !byName) {
        throw conflict(
          `conflict: unable to delete ${shortId(img.id)} (cannot be forced) - image is being used by running container ${shortId(running.id)}`,
        );
      }
      // Forced with stopped users (or by name): untag, keep the image for its containers.
      await untagAll(deps, img.id, untag, items);
      return items;
    }

    await untagAll(deps, img.id, untag, items);
    await deps.store.update((doc) => docOps.removeImage(doc, img.id));
    items.push({ Deleted: img.id });
    deps.publish({ Type: "image", Action: "delete", Actor: { ID: img.id, Attributes: { name: img.id } } });
    await collectGarbage(deps);
    return items;
  });
}

async function untagAll(
  deps: ImageDeps,
  id: Digest,
  refs: string[],
  items: ImageDeleteItem[],
): Promise<void> {
  if (refs.length === 0) return;
  await deps.store.update((doc) => {
    for (const r of refs) docOps.removeTag(doc, r);
  });
  for (const r of refs) {
    const familiar = familiarString(parseReference(r));
    items.push({ Untagged: familiar });
    deps.publish({ Type: "image", Action: "untag", Actor: { ID: id, Attributes: { name: familiar } } });
  }
}

function isIdLike(name: string, id: Digest): boolean {
  const hex = name.replace(/^sha256:/, "");
  return /^[a-f0-9]+$/.test(hex) && id.slice(7).startsWith(hex);
}
