import type { Command } from "../command.js";
import { imageHistoryCommand } from "./image/history.js";
import { imageImportCommand } from "./image/import.js";
import { imageInspectCommand } from "./image/inspect.js";
import { imageLoadCommand } from "./image/load.js";
import { imageLsCommand } from "./image/ls.js";
import { imagePruneCommand } from "./image/prune.js";
import { imageRmCommand } from "./image/rm.js";
import { imageSaveCommand } from "./image/save.js";
import { imageTagCommand } from "./image/tag.js";
import { eventsCommand } from "./system/events.js";
import { infoCommand } from "./system/info.js";
import { versionCommand } from "./system/version.js";

/** The command tree, explicit: no command registers itself by being imported. */
export const COMMANDS: readonly Command[] = [
  imageLsCommand,
  imageInspectCommand,
  imageHistoryCommand,
  imageTagCommand,
  imageRmCommand,
  imagePruneCommand,
  imageLoadCommand,
  imageSaveCommand,
  imageImportCommand,
  versionCommand,
  infoCommand,
  eventsCommand,
] as unknown as readonly Command[];
