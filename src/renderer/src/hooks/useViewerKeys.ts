// OHIF's viewer keys: r/l rotate, h/v flip, i invert, space resets the view, arrows pan (Shift:
// farther). Keys with Ctrl/Cmd/Alt, or already taken by an annotation tool, are left alone.
import { useWindowKeys } from './useWindowKeys';

export interface ViewerKeyHandlers {
  orient(key: string): void;
  reset(): void;
  pan(dx: number, dy: number): void;
}

const PAN_DIRECTIONS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const ORIENT_KEYS = new Set(['r', 'l', 'h', 'v', 'i']);

export function useViewerKeys(enabled: boolean, handlers: ViewerKeyHandlers): void {
  useWindowKeys(enabled, (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
    const direction = PAN_DIRECTIONS[event.key];
    const step = event.shiftKey ? 100 : 20;
    if (event.key === ' ') handlers.reset();
    else if (direction) handlers.pan(direction[0] * step, direction[1] * step);
    else if (ORIENT_KEYS.has(event.key)) handlers.orient(event.key);
    else return false;
    return true;
  });
}
