/** A small observable store: get, set, update, subscribe (optionally to a selected slice). */
export type Listener<T> = (value: T, previous: T) => void;

export interface Store<T> {
  get(): T;
  set(next: T): void;
  update(fn: (current: T) => T): void;
  subscribe(listener: Listener<T>): () => void;
  /** Call `listener` when `select(state)` changes (by `Object.is`), and once now. */
  watch<S>(select: (state: T) => S, listener: (slice: S) => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<Listener<T>>();
  const store: Store<T> = {
    get: () => state,
    set(next) {
      if (Object.is(next, state)) return;
      const previous = state;
      state = next;
      for (const listener of [...listeners]) listener(state, previous);
    },
    update(fn) {
      store.set(fn(state));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watch(select, listener) {
      let slice = select(state);
      listener(slice);
      return store.subscribe((value) => {
        const next = select(value);
        if (Object.is(next, slice)) return;
        slice = next;
        listener(next);
      });
    },
  };
  return store;
}
