// What the app opens with, asked once on load: the demonstration (demo models, sample cases) when
// the engine was started with one, else nothing.
import { useEffect, useState } from 'react';
import type { Startup } from '../../../api/demo-schemas';
import { client } from '../api';
import { errorMessage } from '../errors';

export function useStartup(onError: (message: string) => void): Startup['demo'] {
  const [demo, setDemo] = useState<Startup['demo']>(null);
  useEffect(() => {
    let live = true;
    client.api.startup({}).then(
      (startup) => {
        if (live) setDemo(startup.demo);
      },
      (error: unknown) => {
        if (live) onError(`The demonstration could not be opened: ${errorMessage(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [onError]);
  return demo;
}
