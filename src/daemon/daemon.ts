import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EndpointSettings } from "../api/types/containers.js";
import { LocalContentStore } from "../content/local-store.js";
import { ImageStore } from "../image/store.js";
import type { Digest } from "../lib/digest.js";
import { KeyedMutex, Mutex } from "../lib/lock.js";
import { log } from "../lib/log.js";
import { selectRuntime } from "../runtime/probe.js";
import { OverlaySnapshotter } from "../snapshot/overlay.js";
import { LocalVolumeDriver } from "../volume/local-driver.js";
import { openBuildService } from "./build/service.js";
import type { DaemonConfig } from "./config.js";
import { type ExecDeps, ExecStore } from "./containers/exec.js";
import { readoptContainers } from "./containers/exit.js";
import { readRuntimeHost } from "./containers/host-facts.js";
import { startLogRotation } from "./containers/log-rotation.js";
import { usesVolume } from "./containers/mount-points.js";
import { connectContainer, disconnectContainer } from "./containers/networking.js";
import type { ContainerRecord } from "./containers/record.js";
import { containerService } from "./containers/service.js";
import { writeResolvConf } from "./containers/start.js";
import { superviseContainers } from "./containers/supervisor.js";
import { readoptMounts } from "./containers/volume-mounts.js";
import { ContainerWatch } from "./containers/watch.js";
import type { ImageDeps } from "./images/deps.js";
import { imageConfig } from "./images/deps.js";
import { collectGarbage } from "./images/gc.js";
import { registryDeps } from "./images/registry.js";
import { imageService } from "./images/service.js";
import { openNetworks } from "./networks/open.js";
import type { NetworkService } from "./networks/service.js";
import { acquirePidLock } from "./pid-lock.js";
import { RecordStore } from "./state/record-store.js";
import { diskUsage } from "./system/disk-usage.js";
import { EventBus } from "./system/events.js";
import { readHostFacts } from "./system/host-facts.js";
import { createSystemService } from "./system/service.js";
import type { VolumeRecord } from "./volumes/record.js";
import { volumeService } from "./volumes/service.js";

export const BERTH_VERSION = "0.1.0";
export const API_VERSIONS = { current: "1.50", min: "1.24" } as const;

/**
 * The composition root of the engine: opens the stores under the data root and wires the services.
 * No business logic lives here; bin/berthd.ts puts the Engine API in front of it.
 *
 *   <data-root>/berthd.pid          one daemon per root
 *   <data-root>/engine-id           stable id for `docker info`
 *   <data-root>/content/            blobs (content/local-store.ts)
 *   <data-root>/snapshots/          layer and container filesystems (snapshot/overlay.ts)
 *   <data-root>/image/images.json   names and images (image/store.ts)
 *   <data-root>/containers/<id>/    record.json, container.log, hosts, hostname, resolv.conf
 *   <data-root>/volumes/<name>/     record.json and _data/ (volume/local-driver.ts)
 *   <data-root>/tmp/                scratch, emptied at start
 *   <data-root>/builder/cache/      build cache records (builder/cache/cache-store.ts)
 *   <data-root>/builder/cache-mounts/  RUN --mount=type=cache directories (daemon/build/cache-mounts.ts)
 *   <exec-root>/containers/<id>/    OCI bundle (config.json, rootfs/), conmon's attach socket and ctl fifo
 *   <exec-root>/containers/exits/   conmon's exit files
 *   <exec-root>/runc/               runc's state
 */
export interface Engine {
  readonly images: ReturnType<typeof imageService>;
  readonly containers: ReturnType<typeof containerService>;
  readonly system: ReturnType<typeof createSystemService>;
  readonly volumes: ReturnType<typeof volumeService>;
  /** Networks: bridge, host, none and user-defined ones; connect/disconnect through the containers. */
  readonly networks: Omit<NetworkService, "resolve"> & {
    connect(network: string, container: string, settings?: EndpointSettings): Promise<void>;
    disconnect(network: string, container: string, force: boolean): Promise<void>;
  };
  /** GET /system/df */
  readonly df: { diskUsage(opts: { types: string[] }): ReturnType<typeof diskUsage> };
  /** POST /build */
  readonly builds: Awaited<ReturnType<typeof openBuildService>>;
  readonly events: EventBus;
  /** Waits for in-flight image writes and releases the data root. */
  close(): Promise<void>;
}

export async function openEngine(config: DaemonConfig): Promise<Engine> {
  await fs.mkdir(config.dataRoot, { recursive: true, mode: 0o711 });
  await fs.mkdir(config.execRoot, { recursive: true, mode: 0o711 });
  await fs.mkdir(path.dirname(config.socket), { recursive: true });
  const releaseLock = await acquirePidLock(path.join(config.dataRoot, "berthd.pid"));
  try {
    const tmpDir = path.join(config.dataRoot, "tmp");
    await fs.rm(tmpDir, { recursive: true, force: true });
    await fs.mkdir(tmpDir, { recursive: true });
    const content = await LocalContentStore.open(path.join(config.dataRoot, "content"));
    const snapshots = await OverlaySnapshotter.open(path.join(config.dataRoot, "snapshots"));
    const store = await ImageStore.open(path.join(config.dataRoot, "image"));
    const events = new EventBus();
    const containerStore = await RecordStore.open<ContainerRecord>(
      path.join(config.dataRoot, "containers"),
      1,
    );
    const imageDeps: ImageDeps = {
      content,
      snapshots,
      store,
      tmpDir,
      writeLock: new Mutex(),
      publish: (e) => events.publish(e),
      containersUsing: (id) =>
        containerStore
          .all()
          .filter((c) => c.image === id)
          .map((c) => ({ id: c.id, running: c.state.status === "running" || c.state.status === "paused" })),
      configCache: new Map(),
      registry: registryDeps({ ...config, version: BERTH_VERSION }),
      pinned: new Map(),
    };
    const volumeRoot = path.join(config.dataRoot, "volumes");
    const volumes = volumeService({
      store: await RecordStore.open<VolumeRecord>(volumeRoot, 1),
      driver: new LocalVolumeDriver(volumeRoot),
      locks: new KeyedMutex(),
      publish: (e) => events.publish(e),
      containersUsing: (name) =>
        containerStore
          .all()
          .filter((c) => usesVolume(c.mountPoints, name))
          .map((c) => c.id),
    });
    // Whatever a crash left unreferenced (a half-done load) goes now.
    await imageDeps.writeLock.run(() => collectGarbage(imageDeps));

    const { runtime } = await selectRuntime({ execRoot: config.execRoot });
    const watch = new ContainerWatch();
    const containerDeps: ExecDeps = {
      store: containerStore,
      images: {
        resolve: (name) => store.resolve(name),
        config: (id) => imageConfig(imageDeps, id as Digest),
      },
      snapshots,
      volumes,
      runDir: path.join(config.execRoot, "containers"),
      locks: new KeyedMutex(),
      publish: (e) => events.publish(e),
      changed: (id) => watch.emit(id),
      runtime,
      host: await readRuntimeHost(config.dns),
      watch,
      live: new Map(),
      execs: new ExecStore(),
    };
    // The networks before re-adoption: exits found then disconnect their endpoints.
    const nets = await openNetworks(
      config,
      containerStore.all(),
      () => containerStore.all(),
      (e) => events.publish(e),
    );
    const networks = nets.service;
    containerDeps.network = {
      ...(config.bridge !== "none" ? { bridgeId: networks.resolve("bridge").id } : {}),
      resolve: (ref) => networks.resolve(ref),
      connect: (id, o) => nets.manager.connect(id, o),
      disconnect: (id) => nets.manager.disconnect(id),
      attach: (id, name, a) => nets.manager.attach(id, name, a),
      detach: (id, netId) => nets.manager.detach(id, netId),
      republish: (id, name, ports) => nets.manager.republish(id, name, ports),
      publish: (e) => events.publish(e),
      rewriteResolvConf: (c) => writeResolvConf(containerDeps, c),
    };
    // Restart policies and healthchecks hook in first, so exits found while re-adopting count.
    const supervisor = superviseContainers(containerDeps);
    await readoptContainers(containerDeps);
    await readoptMounts(containerDeps);
    await supervisor.boot();
    const stopLogRotation = startLogRotation(containerDeps);

    const host = await readHostFacts();
    const system = createSystemService({
      host,
      info: { id: await engineId(config.dataRoot), rootDir: config.dataRoot, serverVersion: BERTH_VERSION },
      version: {
        serverVersion: BERTH_VERSION,
        gitCommit: "berth",
        buildTime: "",
        api: API_VERSIONS,
        nodeVersion: process.version,
      },
      events,
      counts: async () => {
        const all = containerStore.all();
        const running = all.filter((c) => c.state.status === "running").length;
        const paused = all.filter((c) => c.state.status === "paused").length;
        return {
          containers: all.length,
          running,
          paused,
          stopped: all.length - running - paused,
          images: store.list().length,
        };
      },
    });
    log.info("engine ready", { root: config.dataRoot, host: os.hostname() });
    const containers = containerService(containerDeps, imageDeps);
    const images = imageService(imageDeps);
    const builds = await openBuildService({
      dataRoot: config.dataRoot,
      images: imageDeps,
      containers,
      snapshotKeyOf: (id) => containerStore.get(id)?.snapshotKey,
      tag: (id, name) => images.tag(id, name),
    });
    return {
      images,
      builds,
      containers,
      system,
      volumes,
      networks: {
        list: (f) => networks.list(f),
        inspect: (ref) => networks.inspect(ref),
        create: (req) => networks.create(req),
        remove: (ref) => networks.remove(ref),
        prune: (f) => networks.prune(f),
        connect: (net, ctr, settings) => connectContainer(containerDeps, net, ctr, settings),
        disconnect: (net, ctr, force) => disconnectContainer(containerDeps, net, ctr, force),
      },
      df: {
        diskUsage: (o) =>
          diskUsage(
            {
              images: imageDeps,
              containers: () => containers.list({ all: true, limit: -1, size: true, filters: {} }),
              volumes: () => volumes.usage(),
            },
            o,
          ),
      },
      events,
      async close() {
        supervisor.close();
        await nets.manager.close();
        stopLogRotation();
        await imageDeps.writeLock.run(async () => {});
        // Removed layers' files finish going (a crash instead leaves them to open()'s sweep).
        await snapshots.idle();
        await releaseLock();
      },
    };
  } catch (err) {
    await releaseLock();
    throw err;
  }
}

async function engineId(root: string): Promise<string> {
  const file = path.join(root, "engine-id");
  try {
    return (await fs.readFile(file, "utf8")).trim();
  } catch {
    const id = randomUUID();
    await fs.writeFile(file, `${id}\n`);
    return id;
  }
}
