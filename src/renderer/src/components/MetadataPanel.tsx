// The file's attributes, searchable by keyword, tag or value (sequences indented by depth). Loaded
// when first opened; what is shown is the file as it is (exports are de-identified, this view is not).
import { useEffect, useState } from 'react';
import type { DicomAttributeInfo } from '../../../api/dicom-schemas';
import { client } from '../api';
import { errorMessage } from '../errors';

const MAX_ROWS = 400;

export function MetadataPanel({ inputId }: { inputId: string }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [loaded, setLoaded] = useState<{ inputId: string; attributes: DicomAttributeInfo[] } | { inputId: string; error: string } | null>(null);

  useEffect(() => {
    if (!open || loaded?.inputId === inputId) return;
    let live = true;
    client.api.dicomTags({ inputId }).then(
      (result) => live && setLoaded({ inputId, attributes: result.attributes }),
      (error: unknown) => live && setLoaded({ inputId, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [open, inputId, loaded]);

  const current = loaded?.inputId === inputId ? loaded : null;
  const needle = query.trim().toLowerCase();
  const rows = current && 'attributes' in current ? current.attributes.filter((a) => !needle || `${a.tag} ${a.path} ${a.value}`.toLowerCase().includes(needle)) : [];
  return (
    <details className="metadata" data-testid="dicom-metadata" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Metadata</summary>
      <input type="search" placeholder="Search keyword, tag or value" data-testid="dicom-metadata-search" value={query} onChange={(e) => setQuery(e.target.value)} />
      {current && 'error' in current && <p className="small warn">{current.error}</p>}
      {!current && open && <p className="small muted">Loading…</p>}
      <table className="metadata-table small">
        <tbody>
          {rows.slice(0, MAX_ROWS).map((a) => (
            <tr key={`${a.path}|${a.tag}`} data-testid="dicom-metadata-row">
              <td className="mono">{a.tag}</td>
              <td style={{ paddingLeft: `${a.depth}em` }}>{a.keyword}</td>
              <td className="mono">{a.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_ROWS && <p className="small muted">{rows.length - MAX_ROWS} more — refine the search</p>}
    </details>
  );
}
