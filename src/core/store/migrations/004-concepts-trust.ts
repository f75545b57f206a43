// Schema 4 (issue 9): concept interventions (a clinician's concept overrides on a concept
// bottleneck model and the label its label head gave; audited case content, locked while the case
// is signed), trust metrics per explanation (derived, recomputable, so not audited), and the
// relevance rank accuracy beside the other agreement metrics.
import type { Migration } from './index';

export const conceptsAndTrust: Migration = {
  version: 4,
  name: '004-concepts-trust',
  up(db) {
    const refuse = `BEGIN SELECT RAISE(ABORT, 'the case is signed: a change must start a new revision'); END;`;
    db.exec(`
      CREATE TABLE interventions (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        model_sha256 TEXT NOT NULL,
        predicted_concepts_json TEXT NOT NULL,
        overrides_json TEXT NOT NULL,
        concepts_json TEXT NOT NULL,
        logits_json TEXT NOT NULL,
        probabilities_json TEXT NOT NULL,
        top_json TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX interventions_case ON interventions(case_id, created_at);
      CREATE TRIGGER interventions_locked_insert BEFORE INSERT ON interventions
        WHEN (SELECT status FROM cases WHERE id = NEW.case_id) = 'signed' ${refuse}
      CREATE TRIGGER interventions_locked_update BEFORE UPDATE ON interventions
        WHEN (SELECT status FROM cases WHERE id = OLD.case_id) = 'signed' ${refuse}
      CREATE TRIGGER interventions_locked_delete BEFORE DELETE ON interventions
        WHEN (SELECT status FROM cases WHERE id = OLD.case_id) = 'signed' ${refuse}

      CREATE TABLE trust_metrics (
        explanation_id TEXT PRIMARY KEY REFERENCES explanations(id),
        case_id TEXT NOT NULL REFERENCES cases(id),
        metrics_json TEXT NOT NULL,
        computed_at TEXT NOT NULL
      );
      CREATE INDEX trust_metrics_case ON trust_metrics(case_id);

      ALTER TABLE agreement ADD COLUMN relevance_rank REAL;
    `);
  },
};
