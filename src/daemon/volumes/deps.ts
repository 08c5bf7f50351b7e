import type { KeyedMutex } from "../../lib/lock.js";
import type { LocalVolumeDriver } from "../../volume/local-driver.js";
import type { RecordStore } from "../state/record-store.js";
import type { VolumeRecord } from "./record.js";

export interface VolumeEvent {
  Type: "volume";
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

/** What the volume use cases need; daemon.ts builds it. */
export interface VolumeDeps {
  store: RecordStore<VolumeRecord>;
  driver: LocalVolumeDriver;
  /** One operation at a time per volume name (create, remove, mount). */
  locks: KeyedMutex;
  publish(event: VolumeEvent): void;
  /** Ids of the containers whose mounts reference the volume (any state): a volume in use. */
  containersUsing(name: string): string[];
}
