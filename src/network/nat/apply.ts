/** The nat module's shell: hands the rendered scripts to `nft -f -` through the CommandRunner. */
import type { CommandRunner } from "../../lib/exec.js";
import { applyPlan, type CommandPlan } from "../plan.js";
import {
  DEFAULT_TABLE,
  type RulesetInput,
  type RulesetOptions,
  renderDeleteScript,
  renderReplaceScript,
} from "./ruleset.js";

export function planRuleset(input: RulesetInput, opts: RulesetOptions = {}): CommandPlan {
  return [{ argv: ["nft", "-f", "-"], input: renderReplaceScript(input, opts) }];
}

export function planRulesetRemoval(opts: RulesetOptions = {}): CommandPlan {
  return [{ argv: ["nft", "-f", "-"], input: renderDeleteScript(opts) }];
}

/** Replaces berth's table with the one rendered from `input` (one atomic nft transaction). */
export async function applyRuleset(
  runner: CommandRunner,
  input: RulesetInput,
  opts: RulesetOptions = {},
): Promise<void> {
  await applyPlan(runner, planRuleset(input, opts));
}

export async function removeRuleset(runner: CommandRunner, opts: RulesetOptions = {}): Promise<void> {
  await applyPlan(runner, planRulesetRemoval(opts));
}

/** The table as the kernel holds it (`nft list table`), or undefined when there is none. */
export async function listRuleset(
  runner: CommandRunner,
  opts: RulesetOptions = {},
): Promise<string | undefined> {
  const r = await runner.run("nft", ["list", "table", "inet", opts.table ?? DEFAULT_TABLE], {
    allowFailure: true,
  });
  return r.code === 0 ? r.stdout : undefined;
}
