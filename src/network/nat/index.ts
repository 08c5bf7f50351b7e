/** NAT and filtering: berth's nftables table rendered from data, replaced atomically. */
export { applyRuleset, listRuleset, planRuleset, planRulesetRemoval, removeRuleset } from "./apply.js";
export {
  DEFAULT_TABLE,
  kernelServes,
  type RulesetInput,
  type RulesetOptions,
  renderDeleteScript,
  renderReplaceScript,
  renderTable,
} from "./ruleset.js";
