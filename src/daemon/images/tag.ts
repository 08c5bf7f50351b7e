import { docOps } from "../../image/store.js";
import { invalidArgument } from "../../lib/errors.js";
import { familiarString, formatReference, parseReference, withDefaultTag } from "../../oci/reference.js";
import type { ImageDeps } from "./deps.js";

/** `docker tag SOURCE TARGET`: the target names a repository and tag, never a digest. */
export async function tagImage(deps: ImageDeps, source: string, target: string): Promise<void> {
  const img = deps.store.resolve(source);
  const ref = withDefaultTag(parseReference(target));
  if (ref.digest) throw invalidArgument("refusing to create a tag with a digest reference");
  const full = formatReference(ref);
  await deps.writeLock.run(() =>
    deps.store.update((doc) => {
      docOps.setTag(doc, full, img.id);
    }),
  );
  deps.publish({
    Type: "image",
    Action: "tag",
    Actor: { ID: img.id, Attributes: { name: familiarString(ref) } },
  });
}
