export { LocalContentStore } from "./local-store.js";
export type { BlobInfo, ContentStore, Expected, Ingester, Manager, Provider } from "./store.js";
