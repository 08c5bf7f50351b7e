import type { Command } from "../command.js";
import { builderPruneCommand } from "./builder/prune.js";
import { composeCommand } from "./compose/entry.js";
import { attachCommand } from "./container/attach.js";
import { commitCommand } from "./container/commit.js";
import { cpCommand } from "./container/cp.js";
import { createCommand } from "./container/create.js";
import { diffCommand } from "./container/diff.js";
import { execCommand } from "./container/exec.js";
import { exportCommand } from "./container/export.js";
import { containerInspectCommand, inspectCommand } from "./container/inspect.js";
import { killCommand } from "./container/kill.js";
import { logsCommand } from "./container/logs.js";
import { psCommand } from "./container/ls.js";
import { pauseCommand, unpauseCommand } from "./container/pause.js";
import { portCommand } from "./container/port.js";
import { containerPruneCommand } from "./container/prune.js";
import { renameCommand } from "./container/rename.js";
import { restartCommand } from "./container/restart.js";
import { rmCommand } from "./container/rm.js";
import { runCommand } from "./container/run.js";
import { startCommand } from "./container/start.js";
import { statsCommand } from "./container/stats.js";
import { stopCommand } from "./container/stop.js";
import { topCommand } from "./container/top.js";
import { updateCommand } from "./container/update.js";
import { waitCommand } from "./container/wait.js";
import { imageBuildCommand } from "./image/build.js";
import { imageHistoryCommand } from "./image/history.js";
import { imageImportCommand } from "./image/import.js";
import { imageInspectCommand } from "./image/inspect.js";
import { imageLoadCommand } from "./image/load.js";
import { imageLsCommand } from "./image/ls.js";
import { imagePruneCommand } from "./image/prune.js";
import { imagePullCommand } from "./image/pull.js";
import { imagePushCommand } from "./image/push.js";
import { imageRmCommand } from "./image/rm.js";
import { imageSaveCommand } from "./image/save.js";
import { imageTagCommand } from "./image/tag.js";
import { networkConnectCommand, networkDisconnectCommand } from "./network/connect.js";
import { networkCreateCommand } from "./network/create.js";
import { networkInspectCommand } from "./network/inspect.js";
import { networkLsCommand } from "./network/ls.js";
import { networkPruneCommand } from "./network/prune.js";
import { networkRmCommand } from "./network/rm.js";
import { loginCommand } from "./registry/login.js";
import { logoutCommand } from "./registry/logout.js";
import { systemDfCommand } from "./system/df.js";
import { eventsCommand } from "./system/events.js";
import { infoCommand } from "./system/info.js";
import { versionCommand } from "./system/version.js";
import { volumeCreateCommand } from "./volume/create.js";
import { volumeInspectCommand } from "./volume/inspect.js";
import { volumeLsCommand } from "./volume/ls.js";
import { volumePruneCommand } from "./volume/prune.js";
import { volumeRmCommand } from "./volume/rm.js";

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
  imageBuildCommand,
  imagePullCommand,
  imagePushCommand,
  loginCommand,
  logoutCommand,
  builderPruneCommand,
  versionCommand,
  infoCommand,
  eventsCommand,
  systemDfCommand,
  volumeCreateCommand,
  volumeLsCommand,
  volumeInspectCommand,
  volumeRmCommand,
  volumePruneCommand,
  runCommand,
  createCommand,
  startCommand,
  stopCommand,
  restartCommand,
  killCommand,
  rmCommand,
  psCommand,
  waitCommand,
  renameCommand,
  pauseCommand,
  unpauseCommand,
  execCommand,
  attachCommand,
  logsCommand,
  topCommand,
  portCommand,
  diffCommand,
  exportCommand,
  commitCommand,
  cpCommand,
  statsCommand,
  updateCommand,
  containerPruneCommand,
  containerInspectCommand,
  inspectCommand,
  networkLsCommand,
  networkInspectCommand,
  networkCreateCommand,
  networkRmCommand,
  networkPruneCommand,
  networkConnectCommand,
  networkDisconnectCommand,
  composeCommand,
] as unknown as readonly Command[];
