export { type Compression, decompressStream, detectCompression, MAGIC_BYTES } from "./compression.js";
export {
  deviceNumbers,
  type LayerDiffOptions,
  type LayerDiffResult,
  layerDiff,
  writeLayerDiff,
} from "./diff.js";
export { cleanEntryPath } from "./entry-path.js";
export { type ApplyLayerOptions, type ApplyLayerResult, applyLayer } from "./extract.js";
export { patchLayerDiff } from "./patch-diff.js";
export { type SyncTreeOptions, type SyncTreeResult, syncTree } from "./sync-tree.js";
export { fileBody, headerFromStat } from "./tar-file-entry.js";
export { END_OF_ARCHIVE, encodeHeader, paddingOf, type TarEntryType, type TarHeader } from "./tar-header.js";
export { readTar, type TarEntry } from "./tar-reader.js";
export {
  OVERLAY_OPAQUE_XATTR,
  WHITEOUT_OPAQUE,
  WHITEOUT_PREFIX,
} from "./whiteout.js";
