/**
 * EventBus: the daemon's event log. Services publish; GET /events subscribers receive what passes their
 * filters. The last `capacity` events stay in a ring buffer so `docker events --since/--until` can
 * replay them. Publishing is synchronous and never throws because of a subscriber.
 *
 *   const bus = new EventBus();
 *   bus.publish({ Type: "container", Action: "start", Actor: { ID: id, Attributes: { name, image } } });
 *   const sub = bus.subscribe({ filters: { type: ["container"] } }, (ev) => write(ev));
 *   sub.close();
 */
import type { Filters } from "../../api/types/filters.js";
import type { EventActor, EventMessage, EventType } from "../../api/types/system.js";
import { log } from "../../lib/log.js";
import { compileEventFilter, type EventPredicate } from "./event-filter.js";

export interface PublishInput {
  readonly Type: EventType;
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes?: Readonly<Record<string, string>> };
  readonly scope?: "local" | "swarm";
}

export interface SubscribeOptions {
  /** Unix nanoseconds; replay buffered events at or after it. */
  readonly since?: bigint;
  /** Unix nanoseconds; replay buffered events at or before it. */
  readonly until?: bigint;
  readonly filters?: Filters;
}

export interface Subscription {
  /** Buffered events in [since, until] passing the filters, oldest first; empty unless since/until is set. */
  readonly history: readonly EventMessage[];
  close(): void;
}

export interface EventBusOptions {
  /** Events kept for replay (default 1000). */
  readonly capacity?: number;
  /** Wall clock in Unix nanoseconds (tests inject one). */
  readonly now?: () => bigint;
}

interface Stamped {
  readonly nanos: bigint;
  readonly event: EventMessage;
}

interface Listener {
  readonly accept: EventPredicate;
  readonly onEvent: (event: EventMessage) => void;
}

const wallClock = (): bigint => BigInt(Date.now()) * 1_000_000n;

export class EventBus {
  readonly #capacity: number;
  readonly #now: () => bigint;
  readonly #ring: Stamped[] = [];
  #start = 0; // index of the oldest entry once the ring is full
  #last = 0n;
  readonly #listeners = new Set<Listener>();

  constructor(options: EventBusOptions = {}) {
    this.#capacity = Math.max(1, options.capacity ?? 1000);
    this.#now = options.now ?? wallClock;
  }

  /** Number of live subscribers (Info.NEventsListener). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Stamps, records and delivers an event; returns the message as subscribers see it. */
  publish(input: PublishInput): EventMessage {
    // Strictly increasing timestamps keep since/until replay unambiguous.
    let nanos = this.#now();
    if (nanos <= this.#last) nanos = this.#last + 1n;
    this.#last = nanos;
    const actor: EventActor = { ID: input.Actor.ID, Attributes: { ...(input.Actor.Attributes ?? {}) } };
    const event: EventMessage = {
      Type: input.Type,
      Action: input.Action,
      Actor: actor,
      scope: input.scope ?? "local",
      time: Number(nanos / 1_000_000_000n),
      timeNano: Number(nanos),
    };
    // Docker still fills the deprecated status/id/from fields for containers and images.
    if (input.Type === "container" || input.Type === "image") {
      event.status = input.Action;
      event.id = actor.ID;
      if (input.Type === "container" && actor.Attributes.image !== undefined)
        event.from = actor.Attributes.image;
    }
    this.#record({ nanos, event });
    for (const listener of [...this.#listeners]) {
      if (!listener.accept(event)) continue;
      try {
        listener.onEvent(event);
      } catch (err) {
        log.warn("events: subscriber failed", { error: (err as Error).message });
      }
    }
    return event;
  }

  /** Throws invalid-argument for unknown filter keys (before anything is registered). */
  subscribe(options: SubscribeOptions, onEvent: (event: EventMessage) => void): Subscription {
    const accept = compileEventFilter(options.filters ?? {});
    const history =
      options.since === undefined && options.until === undefined
        ? []
        : this.#replay(options.since ?? 0n, options.until, accept);
    const listener: Listener = { accept, onEvent };
    this.#listeners.add(listener);
    return {
      history,
      close: () => {
        this.#listeners.delete(listener);
      },
    };
  }

  /** Buffered events, oldest first (for tests and diagnostics). */
  buffered(): EventMessage[] {
    return this.#ordered().map((s) => s.event);
  }

  #record(entry: Stamped): void {
    if (this.#ring.length < this.#capacity) {
      this.#ring.push(entry);
      return;
    }
    this.#ring[this.#start] = entry;
    this.#start = (this.#start + 1) % this.#capacity;
  }

  #ordered(): Stamped[] {
    return [...this.#ring.slice(this.#start), ...this.#ring.slice(0, this.#start)];
  }

  #replay(since: bigint, until: bigint | undefined, accept: EventPredicate): EventMessage[] {
    return this.#ordered()
      .filter((s) => s.nanos >= since && (until === undefined || s.nanos <= until) && accept(s.event))
      .map((s) => s.event);
  }
}
