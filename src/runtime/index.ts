// The low-level runtime: OCI runtime CLI (runc/crun), the conmon monitor, and container I/O.
// The pure spec builder lives in ./spec/ (its own index).
export type { ExecOptions, ExecSession, StartContainerOptions, StartContainerResult } from "./conmon.js";
export { containerIoPaths, execInContainer, readPidFile, startContainer } from "./conmon.js";
export type { WaitExitOptions } from "./exit-file.js";
export { exitFilePath, persistExitFilePath, readExitFile, waitExitFile, wasOomKilled } from "./exit-file.js";
export type { AttachConnection, AttachOutput, AttachStream, OpenAttachOptions } from "./io/attach.js";
export { openAttach, resizeTerminal } from "./io/attach.js";
export type { LogEntry, LogStream } from "./io/k8s-log.js";
export { formatTimestampNs, parseLogLine, parseTimestampNs } from "./io/k8s-log.js";
export type { ReadLogOptions } from "./io/log-file.js";
export { readLog } from "./io/log-file.js";
export type {
  DeleteOptions,
  KillOptions,
  OciRuntime,
  RuntimeState,
  RuntimeStatus,
  Signal,
} from "./oci-runtime.js";
export type { ProbeResult, SelectedRuntime, SelectRuntimeOptions } from "./probe.js";
export { probeRuntime, selectRuntime } from "./probe.js";
export { RuncRuntime, runtimeRoot, runtimeSignal } from "./runc.js";
export { classifyStartFailure, RuntimeStartError, type StartFailureReason } from "./runtime-error.js";
