import { useCallback, useEffect, useRef, useState } from "react";

/** Where drafts live: per tab, surviving reloads and a trip to the login page. */
const PREFIX = "exchange.draft.";

function read<T>(key: string, initial: T): T {
  try {
    const text = window.sessionStorage.getItem(PREFIX + key);
    if (text === null) return initial;
    const parsed = JSON.parse(text) as unknown;
    // Keep the shape of `initial`: fields added since the draft was saved get their defaults.
    if (typeof initial === "object" && initial !== null && typeof parsed === "object" && parsed !== null) {
      return { ...initial, ...(parsed as object) } as T;
    }
    return typeof parsed === typeof initial ? (parsed as T) : initial;
  } catch {
    return initial;
  }
}

/**
 * Form state kept in sessionStorage under `key`, so what the user typed survives an expired
 * session (the trip to log in again), a reload or leaving the page. `clear` resets it (after
 * a successful submit).
 */
export function useDraft<T>(key: string, initial: T): [T, (value: T | ((old: T) => T)) => void, () => void] {
  const initialRef = useRef(initial);
  const [value, setValue] = useState<T>(() => read(key, initial));
  const [loadedKey, setLoadedKey] = useState(key);
  if (loadedKey !== key) {
    setLoadedKey(key);
    setValue(read(key, initial));
  }
  useEffect(() => {
    try {
      window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the draft just is not kept.
    }
  }, [key, value]);
  const clear = useCallback(() => {
    try {
      window.sessionStorage.removeItem(PREFIX + key);
    } catch {
      // As above.
    }
    setValue(initialRef.current);
  }, [key]);
  return [value, setValue, clear];
}
