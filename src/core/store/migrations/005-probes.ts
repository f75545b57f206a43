// Schema 5: probes saved as counterfactuals ("with this region hidden, the model says …"): the
// painted mask, the part of the image it covers (the model's crop), the masker and what the model
// said with and without it, for the case's own image.
// Audited case content, locked while the case is signed like the other content tables. Their notes
// join the full-text index (the search triggers are made again to read them, and the index rebuilt).
import { SEARCH_CHILD_TABLES, searchIndexSql } from './002-search';
import { lockTriggers } from './003-agreement-signatures';
import type { Migration } from './index';

export const savedProbes: Migration = {
  version: 5,
  name: '005-probes',
  up(db) {
    db.exec(`
      CREATE TABLE probes (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        model_sha256 TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        target INTEGER NOT NULL,
        target_label TEXT NOT NULL,
        masker TEXT NOT NULL,
        masker_params_json TEXT NOT NULL,
        mask_json TEXT NOT NULL,
        region_json TEXT NOT NULL,
        masked_pixels INTEGER NOT NULL,
        base_score REAL NOT NULL,
        score REAL NOT NULL,
        delta REAL NOT NULL,
        base_probability REAL NOT NULL,
        probability REAL NOT NULL,
        top_json TEXT NOT NULL,
        provider TEXT NOT NULL,
        note TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX probes_case ON probes(case_id, created_at);
      ${lockTriggers('probes')}
    `);
    const searched = ['cases', ...SEARCH_CHILD_TABLES];
    db.exec(searched.flatMap((table) => ['insert', 'update', 'delete'].map((event) => `DROP TRIGGER ${table}_search_${event};`)).join('\n'));
    const { indexRows, triggers } = searchIndexSql(`COALESCE((SELECT group_concat(pr.note, ' ') FROM probes pr WHERE pr.case_id = c.id), '')`);
    db.exec(triggers([...SEARCH_CHILD_TABLES, 'probes']));
    db.exec('DELETE FROM case_search;');
    db.exec(indexRows(''));
  },
};
