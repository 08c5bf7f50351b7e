import { createHash } from "node:crypto";

/** Small helpers for talking to a registry over HTTP in tests. */

export const sha256 = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export interface Reply {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The spec's error codes in the body, if any. */
  codes: string[];
}

export async function req(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.headers,
    body: init.body,
    redirect: "manual",
  });
  const body = Buffer.from(await res.arrayBuffer());
  let codes: string[] = [];
  if ((res.headers.get("content-type") ?? "").includes("json") && res.status >= 400) {
    try {
      codes =
        (JSON.parse(body.toString()) as { errors?: { code: string }[] }).errors?.map((e) => e.code) ?? [];
    } catch {}
  }
  return { status: res.status, headers: res.headers, body, codes };
}

/** Pushes one blob with a single POST ?digest=; returns its digest. */
export async function pushBlob(base: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const r = await req(`${base}/v2/${name}/blobs/uploads/?digest=${digest}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: data,
  });
  if (r.status !== 201) throw new Error(`push blob: ${r.status} ${r.body.toString()}`);
  return digest;
}

/** An OCI manifest naming `config` and `layers` (already pushed), as bytes. */
export function ociManifest(config: Buffer, layers: Buffer[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256(config),
        size: config.length,
      },
      layers: layers.map((l) => ({
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest: sha256(l),
        size: l.length,
      })),
      ...extra,
    }),
  );
}

export async function putManifest(base: string, name: string, ref: string, bytes: Buffer): Promise<Reply> {
  return req(`${base}/v2/${name}/manifests/${ref}`, {
    method: "PUT",
    headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
    body: bytes,
  });
}
