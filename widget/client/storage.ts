/** The slice of `Storage` the client needs, injected so the client has no DOM dependency. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A storage that lives only as long as the page (used when localStorage is unavailable). */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
  };
}

/** Wraps a storage so that quota, privacy-mode and sandbox errors fall back to memory. */
export function safeStorage(get: () => KeyValueStorage | null | undefined): KeyValueStorage {
  const fallback = memoryStorage();
  return {
    getItem(key) {
      try {
        return get()?.getItem(key) ?? fallback.getItem(key);
      } catch {
        return fallback.getItem(key);
      }
    },
    setItem(key, value) {
      fallback.setItem(key, value);
      try {
        get()?.setItem(key, value);
      } catch {
        /* private mode, quota or sandboxed frame: memory only */
      }
    },
  };
}
