export {
  isMountPoint,
  type Mount,
  type MountShellOptions,
  mountAll,
  mountCommand,
  mountPoints,
  type UnmountOptions,
  unmount,
  unmountAll,
} from "./mount.js";
export { OverlaySnapshotter } from "./overlay.js";
export type { Info, Kind, SnapshotOptions, Snapshotter, Usage } from "./snapshotter.js";
