import { useRef, type ChangeEvent } from 'react';

interface Props {
  label: string;
  accept: string;
  testId: string;
  disabled?: boolean;
  /** with `multiple`, every chosen file at once (e.g. a model and its sidecar card) */
  onFiles: (files: File[]) => void;
  multiple?: boolean;
  /** A native picker (Electron); when null the button opens the <input type=file>. */
  onPick: (() => void) | null;
}

/**
 * A button over a hidden file input. The input always exists, so a browser test can set files on
 * it directly, and drag-and-drop shares the same onFile path.
 */
export function FileButton({ label, accept, testId, disabled, onFiles, multiple, onPick }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = ''; // choosing the same file again must fire change again
    if (files.length > 0) onFiles(files);
  };
  return (
    <>
      <button type="button" className="button" disabled={disabled} onClick={() => (onPick ? onPick() : inputRef.current?.click())}>
        {label}
      </button>
      <input ref={inputRef} className="file-input" type="file" accept={accept} multiple={multiple} data-testid={testId} onChange={onChange} tabIndex={-1} />
    </>
  );
}
