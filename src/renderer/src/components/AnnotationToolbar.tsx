// The annotation tools above the viewer: select and the six drawing tools, undo/redo, and whether
// the last change is saved (there is no save button: every change is saved as it is made).
import { ANNOTATION_KINDS } from '../../../api/case-schemas';
import { TOOL_LABELS, type ToolId } from '../annotations/tools';
import type { AnnotationEditor, SaveStatus } from '../hooks/useAnnotationEditor';

const SAVE_TEXT: Record<SaveStatus, string> = { saved: 'Saved', saving: 'Saving…', failed: 'Not saved' };
const TOOL_ORDER: ToolId[] = ['select', ...ANNOTATION_KINDS];

export function AnnotationToolbar({ editor }: { editor: AnnotationEditor }) {
  return (
    <div className="annotation-toolbar" role="toolbar" aria-label="Annotation tools">
      {TOOL_ORDER.map((tool) => (
        <button
          key={tool}
          type="button"
          className={`button tool${editor.tool === tool ? ' active' : ''}`}
          data-testid={`tool-${tool}`}
          aria-pressed={editor.tool === tool}
          onClick={() => editor.setTool(tool)}
        >
          {TOOL_LABELS[tool]}
        </button>
      ))}
      <span className="toolbar-gap" />
      <button type="button" className="button" data-testid="undo" disabled={!editor.canUndo} onClick={editor.undo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" className="button" data-testid="redo" disabled={!editor.canRedo} onClick={editor.redo} title="Redo (Ctrl+Y)">
        Redo
      </button>
      <span className={`small save-status save-${editor.saveStatus}`} data-testid="annotation-save-status" role="status">
        {SAVE_TEXT[editor.saveStatus]}
      </span>
      {editor.tool === 'polygon' && <span className="small muted">Click the vertices; click the first one, double-click or press Enter to close.</span>}
    </div>
  );
}
