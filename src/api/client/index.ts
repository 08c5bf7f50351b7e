export {
  ApiClient,
  type ApiClientOptions,
  ApiError,
  type ApiResponse,
  DEFAULT_HOST,
  type HijackedConnection,
  kindForStatus,
  type QueryValue,
  type RequestOptions,
  readJsonStream,
  throwIfStreamError,
} from "./client.js";
export * as images from "./images.js";
export * as system from "./system.js";
