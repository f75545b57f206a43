// One explanation run at a time: progress, cancellation through the AbortController handed to the
// api as ctx.signal, and a result tagged with the model|input pair it belongs to.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExplainRequest, Explanation, Progress } from '../../../api/schemas';
import { client } from '../api';
import { errorMessage, isCancelled } from '../errors';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface RunState {
  status: RunStatus;
  progress: Progress | null;
}

export interface ExplainRun {
  state: RunState;
  result: { key: string; explanation: Explanation } | null;
  /** resolves to the explanation, or null when the run failed, was cancelled or superseded */
  run: (request: ExplainRequest, key: string) => Promise<Explanation | null>;
  cancel: () => void;
}

export function useExplainRun(onError: (message: string) => void): ExplainRun {
  const [state, setState] = useState<RunState>({ status: 'idle', progress: null });
  const [result, setResult] = useState<ExplainRun['result']>(null);
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const run = useCallback(
    async (request: ExplainRequest, key: string): Promise<Explanation | null> => {
      controllerRef.current?.abort();
      const controller = new AbortController();
      controllerRef.current = controller;
      // Events of a superseded or cancelled run are ignored, whatever the transport still delivers.
      const current = () => controllerRef.current === controller && !controller.signal.aborted;
      setState({ status: 'running', progress: null });
      try {
        const explanation = await client.api.explain(request, {
          signal: controller.signal,
          onProgress: (progress) => {
            if (current()) setState({ status: 'running', progress });
          },
        });
        if (!current()) return null;
        setResult({ key, explanation });
        setState((s) => ({
          status: 'done',
          progress: s.progress ? { ...s.progress, done: s.progress.total } : { done: 1, total: 1 },
        }));
        return explanation;
      } catch (error) {
        if (controllerRef.current !== controller) return null;
        if (controller.signal.aborted || isCancelled(error)) {
          setState((s) => ({ ...s, status: 'cancelled' }));
        } else {
          setState((s) => ({ ...s, status: 'failed' }));
          onError(errorMessage(error));
        }
      } finally {
        if (controllerRef.current === controller) controllerRef.current = null;
      }
      return null;
    },
    [onError],
  );

  const cancel = useCallback(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    controller.abort();
    // Shown at once: a host that is slow to stop must not leave the UI looking busy.
    setState((s) => ({ ...s, status: 'cancelled' }));
  }, []);

  return { state, result, run, cancel };
}
