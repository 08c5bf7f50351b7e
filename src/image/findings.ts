import type { ImageConfig } from "../oci/image-config.js";

export interface ImageFinding {
  severity: "info" | "warning";
  code: string;
  message: string;
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;

/**
 * What `docker image inspect` leaves for a separate scanner to find: the image runs as root, or its
 * config bakes in values whose names say they are secrets. Pure.
 */
export function imageFindings(cfg: ImageConfig): ImageFinding[] {
  const out: ImageFinding[] = [];
  const user = cfg.config?.User ?? "";
  if (user === "" || user === "root" || user === "0" || user.startsWith("0:") || user.startsWith("root:")) {
    out.push({
      severity: "warning",
      code: "root-user",
      message: "runs as root: add a USER instruction (or run with --user) so a compromise stays unprivileged",
    });
  }
  for (const e of cfg.config?.Env ?? []) {
    const key = e.split("=", 1)[0]!;
    const value = e.slice(key.length + 1);
    if (SECRET_NAME.test(key) && value !== "") {
      out.push({
        severity: "warning",
        code: "secret-in-env",
        message: `ENV ${key} is baked into the image and visible to anyone who can pull it: pass it at run time (-e, --env-file) or use a build secret`,
      });
    }
  }
  return out;
}
