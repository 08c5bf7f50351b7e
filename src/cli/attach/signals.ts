/**
 * `--sig-proxy`: signals the CLI receives are sent on to the container (POST kill?signal=), as
 * docker's ForwardAllSignals does, named as docker names them ("INT", "TERM"). While the proxy is
 * on, these signals no longer end the CLI itself.
 *
 *   const stop = proxySignals((sig) => kill(client, id, sig));
 *   ...
 *   stop();
 */

/** The signals forwarded (SIGCHLD, SIGPIPE, SIGURG and SIGWINCH never are). */
export const PROXIED_SIGNALS: readonly NodeJS.Signals[] = [
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
  "SIGQUIT",
  "SIGUSR1",
  "SIGUSR2",
];

export function proxySignals(kill: (signal: string) => Promise<unknown>): () => void {
  const handlers = PROXIED_SIGNALS.map((sig) => {
    const handler = () => {
      kill(sig.slice(3)).catch(() => undefined);
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  };
}
