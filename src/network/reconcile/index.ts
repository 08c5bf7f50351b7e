/** Crash recovery: observe berth's kernel objects, plan the removal of those no record refers to. */
export { type ObserveOptions, observe, reconcile } from "./observe.js";
export {
  type CleanupPlan,
  type KnownState,
  type ObservedLink,
  type ObservedState,
  planReconcile,
  type ReconcileOptions,
} from "./plan.js";
