import { push } from "../../../api/client/registry.js";
import { event } from "../../../compose/apply/context.js";
import { pullImage } from "../../../compose/apply/images.js";
import { imageName } from "../../../compose/plan/labels.js";
import { BerthError, errorMessage } from "../../../lib/errors.js";
import { parseReference } from "../../../oci/reference.js";
import { defineFlags } from "../../flags.js";
import { defineComposeCommand } from "./_compose-command.js";

export const composePull = defineComposeCommand({
  name: "pull",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Pull service images",
  flags: defineFlags([
    { name: "ignore-buildable", type: "bool", description: "Ignore images that can be built" },
    {
      name: "ignore-pull-failures",
      type: "bool",
      description: "Pull what it can and ignores images with pull failures",
    },
    { name: "quiet", short: "q", type: "bool", description: "Pull without printing progress information" },
  ]),
  async run(_ctx, session, { flags, args }) {
    const c = await session.context();
    let failed = 0;
    for (const [name, svc] of Object.entries(c.project.services)) {
      if (args.length && !args.includes(name)) continue;
      if (!svc.image || (svc.build && flags["ignore-buildable"])) continue;
      try {
        await pullImage(c, name, svc.image);
      } catch (err) {
        if (svc.build) {
          c.progress(`WARN[0000] ${errorMessage(err)} (the service can be built instead)`);
          continue;
        }
        if (!flags["ignore-pull-failures"]) throw err;
        c.progress(`WARN[0000] ${errorMessage(err)}`);
        failed++;
      }
    }
    return failed > 0 && !flags["ignore-pull-failures"] ? 1 : 0;
  },
});

export const composePush = defineComposeCommand({
  name: "push",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Push service images",
  flags: defineFlags([
    {
      name: "ignore-push-failures",
      type: "bool",
      description: "Push what it can and ignores images with push failures",
    },
    { name: "quiet", short: "q", type: "bool", description: "Push without printing progress information" },
  ]),
  async run(_ctx, session, { flags, args }) {
    const c = await session.context();
    for (const [name, svc] of Object.entries(c.project.services)) {
      if (args.length && !args.includes(name)) continue;
      if (!svc.image) continue; // Compose pushes only services that name their image
      const ref = imageName(c.project.name, name, svc);
      const at = ref.lastIndexOf(":");
      const repo = at > ref.lastIndexOf("/") ? ref.slice(0, at) : ref;
      const tag = at > ref.lastIndexOf("/") ? ref.slice(at + 1) : "latest";
      c.progress(event("Image", ref, "Pushing"));
      try {
        const auth = await c.credentials?.(parseReference(ref).domain);
        for await (const m of push(c.client, repo, { tag, ...(auth ? { auth } : {}) }))
          if (m.error || m.errorDetail)
            throw new BerthError("failed-precondition", m.errorDetail?.message ?? m.error!);
        c.progress(event("Image", ref, "Pushed"));
      } catch (err) {
        const msg = `pushing ${ref} for service "${name}": ${errorMessage(err)}`;
        if (!flags["ignore-push-failures"]) throw new BerthError("failed-precondition", msg, { cause: err });
        c.progress(`WARN[0000] ${msg}`);
      }
    }
    return 0;
  },
});
