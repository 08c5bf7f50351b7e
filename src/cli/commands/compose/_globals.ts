/** Docker Compose's global options, apart from the subcommands so `berth` can list them cheaply. */
import { defineFlags } from "../../flags.js";

export const GLOBALS = defineFlags([
  {
    name: "ansi",
    type: "string",
    default: "auto",
    description: 'Control when to print ANSI control characters ("never"|"always"|"auto")',
  },
  { name: "env-file", type: "stringArray", description: "Specify an alternate environment file" },
  { name: "file", short: "f", type: "stringArray", description: "Compose configuration files" },
  { name: "parallel", type: "int", default: -1, description: "Control max parallelism, -1 for unlimited" },
  { name: "profile", type: "stringArray", description: "Specify a profile to enable" },
  {
    name: "progress",
    type: "string",
    default: "auto",
    description: 'Set type of progress output ("auto", "tty", "plain", "quiet")',
  },
  {
    name: "project-directory",
    type: "string",
    description:
      "Specify an alternate working directory (default: the path of the, first specified, Compose file)",
  },
  { name: "project-name", short: "p", type: "string", description: "Project name" },
]);
