// Schema 1: cases, stored images, predictions, explanations (raw maps as float32 blobs),
// annotations, reviews, exports, and the audit trail: append-only (triggers refuse UPDATE and
// DELETE), each row hash-chained to the one before; audit_head names the last link.
import type { Migration } from './index';

export const initialSchema: Migration = {
  version: 1,
  name: '001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE images (
        id TEXT PRIMARY KEY,                 -- SHA-256 of the file's bytes (hex)
        file_name TEXT NOT NULL,
        stored_path TEXT NOT NULL,           -- relative to the data folder
        kind TEXT NOT NULL CHECK (kind IN ('image', 'tensor')),
        format TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        bit_depth INTEGER NOT NULL,
        byte_size INTEGER NOT NULL,
        dicom_json TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        pseudonym TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_review', 'signed')),
        revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
        note TEXT NOT NULL DEFAULT '',
        image_id TEXT REFERENCES images(id),
        view_json TEXT NOT NULL DEFAULT '{}',
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX cases_updated ON cases(updated_at);
      CREATE INDEX cases_created ON cases(created_at);

      CREATE TABLE predictions (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        model_sha256 TEXT NOT NULL,
        model_name TEXT NOT NULL,
        model_version TEXT,
        model_path TEXT NOT NULL,
        provider TEXT NOT NULL,
        activation TEXT NOT NULL,
        logits_json TEXT NOT NULL,
        probabilities_json TEXT NOT NULL,
        top_json TEXT NOT NULL,
        top_index INTEGER,
        top_label TEXT,
        duration_ms REAL NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX predictions_case ON predictions(case_id, created_at);

      CREATE TABLE explanations (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        prediction_id TEXT REFERENCES predictions(id),
        method TEXT NOT NULL,
        params_json TEXT NOT NULL,
        target INTEGER NOT NULL,
        target_label TEXT NOT NULL,
        seed INTEGER,
        model_sha256 TEXT NOT NULL,
        provider TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        evaluations INTEGER NOT NULL,
        meaning TEXT NOT NULL,
        unit TEXT NOT NULL,
        signed INTEGER NOT NULL,
        attribution_shape_json TEXT NOT NULL,
        attribution BLOB NOT NULL,           -- float32 little-endian, exactly as the method returned it
        heatmap_shape_json TEXT NOT NULL,
        heatmap BLOB NOT NULL,
        heatmap_min REAL NOT NULL,
        heatmap_max REAL NOT NULL,
        display_json TEXT NOT NULL,
        overlay_region_json TEXT NOT NULL,
        stats_json TEXT,                     -- figures of the run (fit R², feature count…), when the method reports them
        created_at TEXT NOT NULL
      );
      CREATE INDEX explanations_case ON explanations(case_id, created_at);

      CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('rectangle', 'ellipse', 'freehand', 'polygon', 'arrow', 'text')),
        points_json TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX annotations_case ON annotations(case_id);

      CREATE TABLE reviews (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        revision INTEGER NOT NULL,
        prediction_verdict TEXT NOT NULL CHECK (prediction_verdict IN ('agree', 'disagree', 'uncertain')),
        explanation_verdict TEXT NOT NULL CHECK (explanation_verdict IN ('agree', 'disagree', 'uncertain')),
        comment TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX reviews_case ON reviews(case_id, created_at);

      CREATE TABLE exports (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        case_id TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_entity ON audit(entity, entity_id, seq);
      CREATE INDEX audit_case ON audit(case_id, seq);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: UPDATE refused'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: DELETE refused'); END;

      -- The last link of the chain, moved in the same transaction as each append: a row deleted
      -- from the end of the chain leaves the head pointing past it.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');
    `);
  },
};
