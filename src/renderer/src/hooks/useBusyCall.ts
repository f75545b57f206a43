// One call at a time behind a busy flag: `run(what, call)` sets busy while the call runs and
// reports a failure as "<what>: <message>" instead of throwing (it then resolves to undefined).
import { useCallback, useState } from 'react';
import { errorMessage } from '../errors';

export interface BusyCall {
  busy: boolean;
  run: <T>(what: string, call: () => Promise<T>) => Promise<T | undefined>;
}

export function useBusyCall(onError: (message: string) => void): BusyCall {
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      try {
        return await call();
      } catch (error) {
        onError(`${what}: ${errorMessage(error)}`);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [onError],
  );
  return { busy, run };
}
