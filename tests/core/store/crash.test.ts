// Must show 1: crash safety. A child process writes cases (each one: create, a 64×64 explanation,
// three annotations, a review — four transactions) in a loop and is SIGKILLed a random 5–125 ms
// after its first returned write, 50 times on the same data folder. After every kill: integrity_check is ok, the audit
// chain verifies, and every write the child reported as returned is there, value for value.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../src/core/store/case-store';
import { integrityCheck } from '../../../src/core/store/db';
import { caseImage } from '../../helpers/cases';
import { crashCase, type CrashStep } from '../../helpers/crash-cases';
import { makeTempDir, reportFigure } from '../../helpers/fixtures';
import { seededRandom } from '../../helpers/onnx-builder';

const KILLS = 50;
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const temp = makeTempDir('sightline-crash-');
afterAll(() => temp.cleanup());

/** Runs the writer, kills it `delayMs` after its first returned write, and returns the writes it reported. */
function writeUntilKilled(args: string[], delayMs: number): Promise<{ steps: [CrashStep, number, number][]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Timed from the first returned write, so every kill lands while the writer is streaming.
      if (!timer && out.includes('created ')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the writer ended on its own (${signal ?? _code}): ${err.slice(0, 2000)}`));
      const steps = out
        .split('\n')
        .filter((line) => line && line !== 'ready')
        .map((line) => {
          const [step, run, index] = line.split(' ');
          return [step as CrashStep, Number(run), Number(index)] as [CrashStep, number, number];
        });
      resolve({ steps, signal });
    });
  });
}

describe('crash safety', () => {
  it(`keeps every returned write through ${KILLS} SIGKILLs mid-stream`, async () => {
    const seed = Number(process.env.SIGHTLINE_CRASH_SEED ?? 20261128);
    // The kill delays are reproducible from the seed.
    const next = seededRandom(seed);
    const dataDir = join(temp.dir, 'data');
    const image = await caseImage(temp.dir, 'scan.png', 64, 64);
    let returnedWrites = 0;
    const started = performance.now();
    for (let run = 0; run < KILLS; run++) {
      const delayMs = 5 + Math.floor(next() * 120);
      const { steps } = await writeUntilKilled([dataDir, image.path, image.sha256, String(run)], delayMs);
      returnedWrites += steps.length;
      expect(steps.length).toBeGreaterThan(0);

      const store = await CaseStore.open(dataDir);
      try {
        expect(integrityCheck(store.db)).toEqual(['ok']);
        const verification = await store.verify();
        expect(verification.problems).toEqual([]);
        const reached = new Map<number, Set<CrashStep>>();
        for (const [step, , index] of steps) reached.set(index, (reached.get(index) ?? new Set()).add(step));
        for (const [index, done] of reached) {
          const expected = crashCase(run, index);
          const detail = store.detail(expected.pseudonym);
          expect(detail.summary.note).toBe(expected.note);
          expect(detail.image?.sha256).toBe(image.sha256);
          if (done.has('explained')) {
            const [stored] = store.explanationRecords(expected.pseudonym, 'x');
            expect(stored.attribution.dataBase64).toBe(expected.explanation.attribution.dataBase64);
            expect(stored.heatmap.dataBase64).toBe(expected.explanation.heatmap.dataBase64);
          }
          if (done.has('annotated')) {
            expect(detail.annotations.map(({ id, kind, points, label, note }) => ({ id, kind, points, label, note }))).toEqual(expected.annotations);
            expect(detail.explanations[0].agreement).not.toBeNull();
          }
          if (done.has('reviewed')) expect(detail.reviews.map((r) => r.comment)).toEqual([expected.comment]);
        }
      } finally {
        store.close();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    reportFigure('crash kills', KILLS);
    reportFigure('crash returned writes checked', returnedWrites);
    reportFigure('crash seconds', seconds.toFixed(1));
    const store = await CaseStore.open(dataDir);
    const total = store.list({ sort: 'created', order: 'asc', limit: 1000, offset: 0 }).total;
    store.close();
    reportFigure('crash cases in the database', total);
    expect(total).toBeGreaterThanOrEqual(returnedWrites / 4);
    expect(readFileSync(join(dataDir, 'images', `${image.sha256}.png`)).length).toBeGreaterThan(0);
  }, 240_000);
});
