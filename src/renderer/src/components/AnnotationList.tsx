// The open case's annotations as a list: select one, rename it (the label is saved when you leave
// the field), delete it. Every change is one undo step, saved at once.
import { useState } from 'react';
import type { AnnotationInput } from '../../../api/case-schemas';
import type { AnnotationEditor } from '../hooks/useAnnotationEditor';

export function AnnotationList({ editor }: { editor: AnnotationEditor }) {
  return (
    <>
      <h3 className="subhead">
        Annotations <span data-testid="annotation-count">{editor.annotations.length}</span>
      </h3>
      <ul className="annotation-list">
        {editor.annotations.map((a) => (
          <AnnotationRow key={a.id} annotation={a} selected={a.id === editor.selectedId} editor={editor} />
        ))}
      </ul>
    </>
  );
}

function AnnotationRow({ annotation, selected, editor }: { annotation: AnnotationInput; selected: boolean; editor: AnnotationEditor }) {
  const [label, setLabel] = useState(annotation.label ?? '');
  const [seen, setSeen] = useState(annotation.label ?? '');
  // An undo or redo changes the label under the field: follow it.
  if ((annotation.label ?? '') !== seen) {
    setSeen(annotation.label ?? '');
    setLabel(annotation.label ?? '');
  }
  return (
    <li className={`annotation-row${selected ? ' selected' : ''}`} data-testid="annotation-row" data-kind={annotation.kind} data-id={annotation.id}>
      <button type="button" className="link-button small" onClick={() => editor.select(annotation.id)}>
        {annotation.kind}
      </button>
      <input
        type="text"
        aria-label={`Label of the ${annotation.kind}`}
        data-testid="annotation-label"
        value={label}
        placeholder="label"
        onChange={(e) => setLabel(e.target.value)}
        onBlur={() => editor.setLabel(annotation.id, label)}
      />
      <button type="button" className="link-button small" data-testid="annotation-delete" aria-label={`Delete the ${annotation.kind}`} onClick={() => editor.remove(annotation.id)}>
        ✕
      </button>
    </li>
  );
}
