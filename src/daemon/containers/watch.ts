/**
 * Wakes whoever waits on a container (wait, attach, logs -f, restart policies) when its state
 * changes. Listeners get the id and check the record themselves.
 */
export class ContainerWatch {
  readonly #listeners = new Map<string, Set<() => void>>();

  on(id: string, fn: () => void): () => void {
    let set = this.#listeners.get(id);
    if (!set) {
      set = new Set();
      this.#listeners.set(id, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.#listeners.delete(id);
    };
  }

  emit(id: string): void {
    for (const fn of [...(this.#listeners.get(id) ?? [])]) fn();
  }
}
