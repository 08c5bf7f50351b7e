import { diskUsage } from "../../../api/client/disk-usage.js";
import type { DiskUsage } from "../../../api/types/disk-usage.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { humanSize } from "../../formatter/units.js";
import { ContainerRow, PS_HEADERS } from "../container/_ps-view.js";
import { imageRows } from "../image/ls.js";
import { naturalLess, VOLUME_HEADERS, VolumeRow } from "../volume/_shared.js";

const FLAGS = defineFlags([
  { name: "format", type: "string", description: "Format output using a custom template" },
  { name: "verbose", short: "v", type: "bool", description: "Show detailed information on space usage" },
]);

const IMAGE_HEADERS = {
  Repository: "REPOSITORY",
  Tag: "TAG",
  ID: "IMAGE ID",
  CreatedSince: "CREATED",
  Size: "SIZE",
  SharedSize: "SHARED SIZE",
  UniqueSize: "UNIQUE SIZE",
  Containers: "CONTAINERS",
};

const isActive = (state: string) => ["running", "paused", "restarting"].includes(state);

/** "1.2MB (50%)", as docker's df prints reclaimable space; no percentage of nothing. */
function reclaimable(n: number, total: number): string {
  return total > 0 ? `${humanSize(n)} (${Math.floor((n * 100) / total)}%)` : humanSize(n);
}

/** The four summary rows of `docker system df` (docker/cli formatter/disk_usage.go). */
export function summaryRows(du: DiskUsage) {
  const images = du.Images ?? [];
  const usedByContainers = images
    .filter((i) => i.Containers > 0 && i.SharedSize >= 0)
    .reduce((n, i) => n + i.Size - i.SharedSize, 0);
  const containers = du.Containers ?? [];
  const ctrSize = containers.reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const ctrFree = containers.filter((c) => !isActive(c.State)).reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const volumes = du.Volumes ?? [];
  const sized = volumes.filter((v) => (v.UsageData?.Size ?? -1) >= 0);
  const volSize = sized.reduce((n, v) => n + (v.UsageData?.Size ?? 0), 0);
  const volFree = sized
    .filter((v) => v.UsageData?.RefCount === 0)
    .reduce((n, v) => n + (v.UsageData?.Size ?? 0), 0);
  return [
    {
      Type: "Images",
      TotalCount: String(images.length),
      Active: String(images.filter((i) => i.Containers > 0).length),
      Size: humanSize(du.LayersSize),
      Reclaimable: reclaimable(du.LayersSize - usedByContainers, du.LayersSize),
    },
    {
      Type: "Containers",
      TotalCount: String(containers.length),
      Active: String(containers.filter((c) => isActive(c.State)).length),
      Size: humanSize(ctrSize),
      Reclaimable: reclaimable(ctrFree, ctrSize),
    },
    {
      Type: "Local Volumes",
      TotalCount: String(volumes.length),
      Active: String(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length),
      Size: humanSize(volSize),
      Reclaimable: reclaimable(volFree, volSize),
    },
    { Type: "Build Cache", TotalCount: "0", Active: "0", Size: "0B", Reclaimable: "0B" },
  ];
}

function verbose(du: DiskUsage, now: number): string {
  const images = renderFormat("", imageRows(du.Images ?? [], false, now), {
    defaultTable:
      "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
    headers: IMAGE_HEADERS,
  });
  const containers = renderFormat(
    "",
    (du.Containers ?? []).map((c) => ({ ...new ContainerRow(c, true, now), Size: humanSize(c.SizeRw ?? 0) })),
    {
      defaultTable:
        "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
      headers: PS_HEADERS,
    },
  );
  const volumes = renderFormat(
    "",
    [...(du.Volumes ?? [])].sort((a, b) => naturalLess(a.Name, b.Name)).map((v) => new VolumeRow(v)),
    { defaultTable: "table {{.Name}}\t{{.Links}}\t{{.Size}}", headers: VOLUME_HEADERS },
  );
  const cache = renderFormat("", [], {
    defaultTable:
      "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
    headers: {
      ID: "CACHE ID",
      CacheType: "CACHE TYPE",
      Size: "SIZE",
      CreatedSince: "CREATED",
      LastUsedSince: "LAST USED",
      UsageCount: "USAGE",
      Shared: "SHARED",
    },
  });
  return `Images space usage:\n\n${images}\nContainers space usage:\n\n${containers}\nLocal Volumes space usage:\n\n${volumes}\nBuild cache usage: 0B\n\n${cache}`;
}

export const systemDfCommand = defineCommand({
  path: "system df",
  usage: "[OPTIONS]",
  description: "Show docker disk usage",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    const du = await diskUsage(await ctx.client());
    if (flags.verbose) {
      ctx.stdout.write(verbose(du, Date.now()));
      return 0;
    }
    ctx.stdout.write(
      renderFormat(flags.format, summaryRows(du), {
        defaultTable: "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
        headers: {
          Type: "TYPE",
          TotalCount: "TOTAL",
          Active: "ACTIVE",
          Size: "SIZE",
          Reclaimable: "RECLAIMABLE",
        },
      }),
    );
    return 0;
  },
});
