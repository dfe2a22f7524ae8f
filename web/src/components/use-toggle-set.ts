import { useCallback, useState } from 'react';

/** A set of keys switched on and off one at a time (e.g. the series a legend hides). */
export function useToggleSet(): [ReadonlySet<string>, (key: string) => void] {
  const [set, setSet] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback((key: string) => {
    setSet((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);
  return [set, toggle];
}
