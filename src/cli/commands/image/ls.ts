import { list } from "../../../api/client/images.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import type { ImageSummary } from "../../../api/types/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { ago, humanSize } from "../../formatter/units.js";
import { shortImageId } from "./_shared.js";

const FLAGS = defineFlags([
  {
    name: "all",
    short: "a",
    type: "bool",
    description: "Show all images (default hides intermediate images)",
  },
  { name: "digests", type: "bool", description: "Show digests" },
  {
    name: "filter",
    short: "f",
    type: "stringArray",
    valueName: "filter",
    description: "Filter output based on conditions provided",
  },
  { name: "format", type: "string", description: "Format output using a custom template" },
  { name: "no-trunc", type: "bool", description: "Don't truncate output" },
  { name: "quiet", short: "q", type: "bool", description: "Only show image IDs" },
  {
    name: "tree",
    type: "bool",
    description: "List multi-platform images as a tree (EXPERIMENTAL)",
    hidden: true,
  },
]);

interface Row {
  ID: string;
  Repository: string;
  Tag: string;
  Digest: string;
  CreatedSince: string;
  CreatedAt: string;
  Size: string;
  VirtualSize: string;
  SharedSize: string;
  UniqueSize: string;
  Containers: string;
}

/** One row per tag, as docker shows them; an untagged image is one <none>:<none> row. */
export function imageRows(images: ImageSummary[], noTrunc: boolean, now = Date.now()): Row[] {
  const rows: Row[] = [];
  for (const img of images) {
    const base = {
      ID: shortImageId(img.Id, noTrunc),
      CreatedSince: ago(img.Created * 1000, now),
      CreatedAt: new Date(img.Created * 1000)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " +0000 UTC"),
      Size: humanSize(img.Size),
      VirtualSize: humanSize(img.VirtualSize ?? img.Size),
      SharedSize: img.SharedSize < 0 ? "N/A" : humanSize(img.SharedSize),
      UniqueSize: img.SharedSize < 0 ? "N/A" : humanSize(img.Size - img.SharedSize),
      Containers: img.Containers < 0 ? "N/A" : String(img.Containers),
    };
    const digestOf = (repo: string) =>
      img.RepoDigests.find((d) => d.startsWith(`${repo}@`))?.split("@")[1] ?? "<none>";
    if (img.RepoTags.length === 0) {
      const d = img.RepoDigests[0];
      rows.push({
        ...base,
        Repository: d ? d.split("@")[0]! : "<none>",
        Tag: "<none>",
        Digest: d ? d.split("@")[1]! : "<none>",
      });
      continue;
    }
    for (const t of img.RepoTags) {
      const i = t.lastIndexOf(":");
      const repo = t.slice(0, i);
      rows.push({ ...base, Repository: repo, Tag: t.slice(i + 1), Digest: digestOf(repo) });
    }
  }
  return rows;
}

export const imageLsCommand = defineCommand({
  path: "image ls",
  aliases: ["images", "image list"],
  usage: "[OPTIONS] [REPOSITORY[:TAG]]",
  description: "List images",
  flags: FLAGS,
  args: { max: 1 },
  async run(ctx, { flags, args }) {
    const filters: Record<string, string[]> = { ...filtersFromPairs(flags.filter) } as Record<
      string,
      string[]
    >;
    if (args[0]) filters.reference = [...(filters.reference ?? []), args[0]];
    const images = await list(await ctx.client(), { all: flags.all, filters, digests: flags.digests });
    const rows = imageRows(images, flags["no-trunc"]);
    if (flags.quiet) {
      // One line per row, as docker prints them: an image with two tags appears twice.
      for (const r of rows) ctx.stdout.write(`${r.ID}\n`);
      return 0;
    }
    const defaultTable = flags.digests
      ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
      : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    ctx.stdout.write(
      renderFormat(flags.format, rows, {
        defaultTable,
        headers: {
          ID: "IMAGE ID",
          Repository: "REPOSITORY",
          Tag: "TAG",
          Digest: "DIGEST",
          CreatedSince: "CREATED",
          CreatedAt: "CREATED AT",
          Size: "SIZE",
          VirtualSize: "VIRTUAL SIZE",
          SharedSize: "SHARED SIZE",
          UniqueSize: "UNIQUE SIZE",
          Containers: "CONTAINERS",
        },
      }),
    );
    return 0;
  },
});
