// The in-process engine behind the validated api, as the CLI and the engine worker use it.
import { validated, type SightlineApi } from '../../src/api/contract';
import type { Engine } from '../../src/core/engine';

export function engineApi(engine: Engine): SightlineApi {
  return validated(engine);
}
