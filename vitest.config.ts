import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// A test that opens the case database without naming a data folder (e.g. the UI listing cases on
// load), or builds gradient models without naming a cache folder, writes here, never into the
// user's own folders.
const env = { SIGHTLINE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-test-data-')), SIGHTLINE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'sightline-test-cache-')) };

// Two projects: unit tests (engine, api, host handlers) and browser end-to-end tests.
// They run one after the other so that timing assertions never share the 2 cores with Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          environment: 'node',
          env,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
