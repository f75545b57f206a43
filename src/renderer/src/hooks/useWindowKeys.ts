// One keydown listener on the window for a set of shortcuts: keys typed into form fields are left
// alone, the latest handler always answers (no re-subscribing per render), and a key the handler
// takes (it returns true) is marked handled so listeners after it skip it.
import { useEffect, useRef } from 'react';

export function useWindowKeys(enabled: boolean, onKey: (event: KeyboardEvent) => boolean, capture = false): void {
  const latest = useRef(onKey);
  useEffect(() => {
    latest.current = onKey;
  });
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      if (!isTyping(event) && latest.current(event)) event.preventDefault();
    };
    window.addEventListener('keydown', listener, capture);
    return () => window.removeEventListener('keydown', listener, capture);
  }, [enabled, capture]);
}

/** True when a key event is meant for a form field, not a shortcut. */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return Boolean(target && (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) || target.isContentEditable));
}
