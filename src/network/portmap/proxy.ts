/**
 * The userland proxy: listens on a host address and port and relays to container ip:port. It serves
 * what the kernel rule cannot: connections to 127.0.0.0/8 (a DNAT from loopback needs
 * route_localnet), and by listening on the requested host address (0.0.0.0 by default, as Docker's
 * docker-proxy does) it also holds the host port, so no other process can bind it.
 *
 * TCP: one upstream connection per client, half-close passed through, a bounded connect timeout.
 * UDP: one upstream socket per client address, forgotten after an idle timeout, at most `maxUdpFlows`.
 */
import dgram from "node:dgram";
import net from "node:net";
import type { PortProto } from "../types.js";

export interface ProxySpec {
  proto: PortProto;
  /** "0.0.0.0" or a host address. */
  listenIp: string;
  listenPort: number;
  targetIp: string;
  targetPort: number;
}

export interface ProxyOptions {
  connectTimeoutMs?: number;
  udpIdleMs?: number;
  maxUdpFlows?: number;
}

export interface RunningProxy {
  readonly spec: ProxySpec;
  close(): Promise<void>;
}

export function startProxy(spec: ProxySpec, opts: ProxyOptions = {}): Promise<RunningProxy> {
  return spec.proto === "tcp" ? startTcp(spec, opts) : startUdp(spec, opts);
}

function startTcp(spec: ProxySpec, opts: ProxyOptions): Promise<RunningProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    const upstream = net.connect({ host: spec.targetIp, port: spec.targetPort, allowHalfOpen: true });
    track(upstream);
    const timer = setTimeout(
      () => upstream.destroy(new Error("connect timeout")),
      opts.connectTimeoutMs ?? 5000,
    );
    upstream.once("connect", () => clearTimeout(timer));
    const kill = () => {
      clearTimeout(timer);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", kill);
    upstream.on("error", kill);
    client.pipe(upstream);
    upstream.pipe(client);
    // Both ends closed for writing and reading: release them.
    client.on("close", () => upstream.end());
    upstream.on("close", () => client.end());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: spec.listenIp, port: spec.listenPort, exclusive: true }, () => {
      server.off("error", reject);
      server.on("error", () => {});
      resolve({
        spec,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

interface Flow {
  socket: dgram.Socket;
  timer: NodeJS.Timeout;
}

function startUdp(spec: ProxySpec, opts: ProxyOptions): Promise<RunningProxy> {
  const idleMs = opts.udpIdleMs ?? 90_000;
  const maxFlows = opts.maxUdpFlows ?? 1024;
  const flows = new Map<string, Flow>();
  const listener = dgram.createSocket({ type: "udp4" });
  const drop = (key: string) => {
    const f = flows.get(key);
    if (!f) return;
    clearTimeout(f.timer);
    f.socket.close();
    flows.delete(key);
  };
  listener.on("message", (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let flow = flows.get(key);
    if (!flow) {
      if (flows.size >= maxFlows) drop(flows.keys().next().value!);
      const socket = dgram.createSocket({ type: "udp4" });
      socket.on("error", () => drop(key));
      socket.on("message", (reply, from) => {
        if (from.address !== spec.targetIp || from.port !== spec.targetPort) return;
        listener.send(reply, rinfo.port, rinfo.address);
      });
      flow = { socket, timer: setTimeout(() => drop(key), idleMs) };
      flows.set(key, flow);
    }
    flow.timer.refresh();
    flow.socket.send(msg, spec.targetPort, spec.targetIp);
  });
  return new Promise((resolve, reject) => {
    listener.once("error", reject);
    listener.bind({ address: spec.listenIp, port: spec.listenPort, exclusive: true }, () => {
      listener.off("error", reject);
      listener.on("error", () => {});
      resolve({
        spec,
        close: () =>
          new Promise<void>((done) => {
            for (const key of [...flows.keys()]) drop(key);
            listener.close(() => done());
          }),
      });
    });
  });
}
