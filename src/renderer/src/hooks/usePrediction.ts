// Runs the model whenever the model or the input changes; the result is tagged with the
// model|input pair so that a late answer for an old pair is never shown for a new one.
import { useEffect, useState } from 'react';
import type { InputInfo, ModelInfo, Prediction } from '../../../api/schemas';
import { client } from '../api';
import { errorMessage } from '../errors';

export function pairKeyOf(model: ModelInfo | null, input: InputInfo | null): string | null {
  return model && input ? `${model.id}|${input.id}` : null;
}

export function usePrediction(
  model: ModelInfo | null,
  input: InputInfo | null,
  onError: (message: string) => void,
): { prediction: Prediction | null; pending: boolean } {
  const [settled, setSettled] = useState<{ key: string; prediction: Prediction | null } | null>(null);
  useEffect(() => {
    const key = pairKeyOf(model, input);
    if (!model || !input || !key) return;
    let live = true;
    client.api.predict({ modelId: model.id, inputId: input.id }).then(
      (prediction) => {
        if (live) setSettled({ key, prediction });
      },
      (error: unknown) => {
        if (!live) return;
        setSettled({ key, prediction: null });
        onError(`Prediction failed: ${errorMessage(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [model, input, onError]);
  const key = pairKeyOf(model, input);
  const current = settled !== null && settled.key === key;
  return { prediction: current ? settled.prediction : null, pending: key !== null && !current };
}
