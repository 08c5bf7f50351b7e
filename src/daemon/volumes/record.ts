/**
 * A volume as berth stores it (schema version 1), in <data-root>/volumes/<name>/record.json beside
 * the driver's `_data` directory. The id is the name: volume names are unique and never change.
 */
export interface VolumeRecord {
  schemaVersion: 1;
  /** The volume's name (RecordStore keys records by `id`). */
  id: string;
  driver: string;
  /** RFC 3339 with seconds, as Docker shows CreatedAt. */
  createdAt: string;
  labels: Record<string, string>;
  /** Driver options as given at creation (type, device, o). */
  options: Record<string, string>;
}
