#!/usr/bin/env bash
# Installs the system packages berth needs on Debian 12, as root. Idempotent:
# packages already present are left alone and apt is only asked when one is missing.
set -euo pipefail

PACKAGES=(
  runc crun conmon          # OCI runtimes and the per-container monitor
  catatonit tini            # --init
  iproute2 iptables nftables # networks: namespaces, bridges, veths, NAT
  attr                      # setfattr: xattrs (overlay opaque dirs, file capabilities) during layer extraction
  busybox-static            # the test image is built from this binary
  skopeo                    # interop tests: docker-archive / oci-archive readers and writers
  docker-registry           # interop tests: a Distribution registry on 127.0.0.1
  docker-compose            # interop tests: Docker's Compose v1 against berthd
  python3-docker            # interop tests: docker-py (the Docker SDK for Python) against berthd
  git                       # ADD of Git repositories (and its tests)
  openssl                   # tests: certificates for registries over TLS
  python3 ca-certificates xz-utils zstd bzip2 # decompressors for layers and imports
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get needs it)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The registry package would start a system service on 0.0.0.0:5000; tests start their own.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if systemctl list-unit-files docker-registry.service >/dev/null 2>&1; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
  pkill -f '^/usr/bin/docker-registry' 2>/dev/null || true
fi

# overlayfs must be usable for the snapshotter.
modprobe overlay 2>/dev/null || true
grep -qw overlay /proc/filesystems || { echo "install-deps: kernel has no overlayfs" >&2; exit 1; }

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "install-deps: Node.js 20 or newer is required" >&2
  exit 1
fi
echo "install-deps: ok"
