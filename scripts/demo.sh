#!/usr/bin/env bash
# Quick start: installs what berth needs, builds it, starts berthd and shows the main job so far —
# images in and out through the berth CLI and through the real docker CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
[ -d node_modules ] || npm install --no-audit --no-fund
npm run -s build
chmod +x dist/berth.js dist/berthd.js
ln -sf "$PWD/dist/berth.js" /usr/local/bin/berth
ln -sf "$PWD/dist/berthd.js" /usr/local/bin/berthd

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

# The first berth command starts berthd in the background when none is running.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp"
cp /bin/busybox "$work/rootfs/bin/busybox"
for a in sh ls cat echo env true sleep wget nc tar httpd; do ln -sf busybox "$work/rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$work/rootfs/etc/passwd"
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .

step berth import -c 'CMD ["/bin/sh"]' -m "busybox from Debian's busybox-static" "$work/rootfs.tar" busybox:latest
step berth images
step berth tag busybox myrepo/app:1.0
step berth history myrepo/app:1.0
step berth save -o "$work/busybox.tar" busybox myrepo/app:1.0
step berth rmi myrepo/app:1.0 busybox
step berth load -i "$work/busybox.tar"
step berth image inspect busybox --format 'id={{.Id}} os={{.Os}} cmd={{json .Config.Cmd}}'

export DOCKER_HOST=unix:///run/berth/berth.sock
step docker version --format 'docker CLI {{.Client.Version}} -> server {{.Server.Version}} (API {{.Server.APIVersion}})'
step docker images
step skopeo inspect --format '{{.Digest}} {{.Os}}/{{.Architecture}}' "docker-archive:$work/busybox.tar"

# Containers: run, a published port reached from the host, a build with the layer cache.
step berth run --rm busybox sh -c 'echo hello from $(hostname), pid $$'
berth rm -f web >/dev/null 2>&1 || true
step docker run -d --name web -p 127.0.0.1::80 busybox httpd -f -p 80 -h /etc
port=$(docker port web 80/tcp | head -n1)
step busybox wget -qO- "http://$port/hostname"
step docker ps
step docker rm -f web
mkdir -p "$work/app"
printf '{"name":"demo"}\n' > "$work/app/package.json"
printf 'console.log("v1")\n' > "$work/app/server.js"
printf 'FROM busybox\nWORKDIR /app\nCOPY package.json ./\nRUN cat package.json > deps.txt\nCOPY . .\nCMD ["cat", "server.js"]\n' > "$work/app/Dockerfile"
DOCKER_BUILDKIT=0 step docker build -q -t demo:1 "$work/app"
printf 'console.log("v2")\n' > "$work/app/server.js"
DOCKER_BUILDKIT=0 step docker build -t demo:1 "$work/app"
step docker run --rm demo:1

printf '\nberthd is running (socket /run/berth/berth.sock, data /var/lib/berth). Stop it with: pkill -f berthd.js\n'
