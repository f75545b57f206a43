// The explanation methods the engine offers, loaded once.
import { useEffect, useState } from 'react';
import type { MethodInfo } from '../../../api/schemas';
import { client } from '../api';
import { errorMessage } from '../errors';

export function useMethods(onError: (message: string) => void): MethodInfo[] {
  const [methods, setMethods] = useState<MethodInfo[]>([]);
  useEffect(() => {
    let live = true;
    client.api.methods({}).then(
      (list) => {
        if (live) setMethods(list);
      },
      (error: unknown) => {
        if (live) onError(`Could not list explanation methods: ${errorMessage(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [onError]);
  return methods;
}
