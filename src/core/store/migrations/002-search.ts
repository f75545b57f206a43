// Schema 2: full-text search (FTS5) over case IDs, notes, annotation labels and notes, review
// comments and predicted labels. One index row per case (rowid = the case's rowid), rebuilt by
// triggers whenever a source row changes, and backfilled here for cases that already exist.
import type { Migration } from './index';

/**
 * The index's SQL, for the sources of a schema version: `extraLabels` is an SQL expression (on the
 * case, aliased c) appended to the labels column — later schemas index more of the case this way.
 */
export function searchIndexSql(extraLabels = '') {
  const labels = `COALESCE((SELECT group_concat(a.label || ' ' || a.note, ' ') FROM annotations a WHERE a.case_id = c.id), '') || ' ' ||
        COALESCE((SELECT group_concat(p.top_label, ' ') FROM predictions p WHERE p.case_id = c.id), '')${extraLabels ? ` || ' ' || ${extraLabels}` : ''}`;
  /** SQL that inserts the index rows of the cases matched by `where` (aliased c). */
  const indexRows = (where: string) => `
    INSERT INTO case_search (rowid, pseudonym, note, labels, comments)
      SELECT c.rowid, c.pseudonym, c.note,
        ${labels},
        COALESCE((SELECT group_concat(r.comment, ' ') FROM reviews r WHERE r.case_id = c.id), '')
      FROM cases c ${where}`;
  /** SQL that rebuilds the index row of the case whose rowid is `rowidExpr`. */
  const reindexCase = (rowidExpr: string) => `DELETE FROM case_search WHERE rowid = ${rowidExpr}; ${indexRows(`WHERE c.rowid = ${rowidExpr}`)};`;
  const caseRowid = (ref: 'NEW' | 'OLD') => `(SELECT rowid FROM cases WHERE id = ${ref}.case_id)`;
  const childTriggers = (table: string) => `
    CREATE TRIGGER ${table}_search_insert AFTER INSERT ON ${table} BEGIN ${reindexCase(caseRowid('NEW'))} END;
    CREATE TRIGGER ${table}_search_update AFTER UPDATE ON ${table} BEGIN ${reindexCase(caseRowid('NEW'))} END;
    CREATE TRIGGER ${table}_search_delete AFTER DELETE ON ${table} BEGIN ${reindexCase(caseRowid('OLD'))} END;`;
  /** The triggers that keep the index current, for the case table and each child table named. */
  const triggers = (childTables: readonly string[]) => `
      CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN ${reindexCase('NEW.rowid')} END;
      CREATE TRIGGER cases_search_update AFTER UPDATE OF pseudonym, note ON cases BEGIN ${reindexCase('NEW.rowid')} END;
      CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN DELETE FROM case_search WHERE rowid = OLD.rowid; END;
      ${childTables.map(childTriggers).join('\n')}`;
  return { indexRows, triggers };
}

/** The child tables schema 2 indexes. */
export const SEARCH_CHILD_TABLES = ['annotations', 'reviews', 'predictions'] as const;

export const fullTextSearch: Migration = {
  version: 2,
  name: '002-search',
  up(db) {
    const { indexRows, triggers } = searchIndexSql();
    db.exec(`
      CREATE VIRTUAL TABLE case_search USING fts5(pseudonym, note, labels, comments, tokenize = 'unicode61 remove_diacritics 2');
      ${triggers(SEARCH_CHILD_TABLES)}
    `);
    db.exec(indexRows(''));
  },
};
