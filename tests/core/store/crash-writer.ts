// Child process of the crash-safety test: writes cases into a data folder as fast as it can,
// printing "<step> <run> <index>" synchronously after each write has returned, until it is killed.
// Usage: node --import tsx crash-writer.ts DATA_DIR IMAGE_PATH IMAGE_SHA256 RUN
import { writeSync } from 'node:fs';
import { CaseStore } from '../../../src/core/store/case-store';
import { READER } from '../../helpers/case-records';
import { crashCase } from '../../helpers/crash-cases';

const [dataDir, imagePath, imageSha, runText] = process.argv.slice(2);
const run = Number(runText);
const say = (line: string) => writeSync(1, `${line}\n`);

const store = await CaseStore.open(dataDir);
const image = { path: imagePath, sha256: imageSha, name: 'scan.png', kind: 'image' as const, format: 'png', width: 64, height: 64, channels: 3, bitDepth: 8 };
say('ready');
for (let index = 0; ; index++) {
  const content = crashCase(run, index);
  const created = await store.createCase(image, { pseudonym: content.pseudonym, note: content.note }, READER);
  say(`created ${run} ${index}`);
  store.addExplanation(created.summary.id, content.explanation, null, READER);
  say(`explained ${run} ${index}`);
  store.saveAnnotations(created.summary.id, content.annotations, READER);
  say(`annotated ${run} ${index}`);
  store.review(created.summary.id, { predictionVerdict: 'agree', explanationVerdict: 'uncertain', comment: content.comment }, READER);
  say(`reviewed ${run} ${index}`);
}
