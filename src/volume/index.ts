/** Volumes: the local driver, names, options, usage and copy-up. */
export { copyIntoEmptyVolume } from "./copy-up.js";
export { LOCAL_DRIVER, type LocalDriverOptions, LocalVolumeDriver } from "./local-driver.js";
export {
  ANONYMOUS_LABEL,
  anonymousVolumeName,
  isValidVolumeName,
  VOLUME_NAME_CHARS,
  validateVolumeName,
} from "./names.js";
export { type LocalMountOptions, mountArgs, parseLocalOptions } from "./options.js";
export { directorySize, isEmptyDir } from "./usage.js";
