import type { InputInfo } from '../../../api/schemas';
import { formatShape } from '../format';
import { FileButton } from './FileButton';

interface Props {
  input: InputInfo | null;
  busy: boolean;
  onFiles: (files: File[]) => void;
  onPick: (() => void) | null;
}

export function ImagePanel({ input, busy, onFiles, onPick }: Props) {
  return (
    <section className="panel" aria-labelledby="image-heading">
      <div className="panel-head">
        <h2 id="image-heading">Image</h2>
        <FileButton label="Open image…" accept="image/png,image/jpeg,.npy,.dcm,application/dicom" testId="image-file-input" disabled={busy} onFiles={(files) => onFiles(files.slice(0, 1))} onPick={onPick} />
      </div>
      {busy && <p className="muted">Opening image…</p>}
      {input ? (
        <dl className="facts" data-testid="image-summary" data-input-id={input.id}>
          <dt>Name</dt>
          <dd data-testid="image-name" title={input.path}>{input.name}</dd>
          <dt>Format</dt>
          <dd>{input.format}</dd>
          <dt>Size</dt>
          <dd>
            {input.width} × {input.height} · {input.channels} ch · {input.bitDepth}-bit
          </dd>
          {input.shape && (
            <>
              <dt>Tensor</dt>
              <dd>{formatShape(input.shape)}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="empty-state" data-testid="image-empty">
          Open an image (PNG, JPEG, DICOM) or a .npy tensor, or drop it on the viewer.
        </p>
      )}
    </section>
  );
}
