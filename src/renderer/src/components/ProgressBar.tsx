import type { Progress } from '../../../api/schemas';

/** Percentage progress of a long call; indeterminate-looking at 0 until the first event arrives. */
export function ProgressBar({ progress, active }: { progress: Progress | null; active: boolean }) {
  const percent = progress && progress.total > 0 ? Math.round((100 * Math.min(progress.done, progress.total)) / progress.total) : 0;
  return (
    <div className="progress">
      <div
        className={active ? 'progress-track active' : 'progress-track'}
        data-testid="explain-progress"
        role="progressbar"
        aria-label="Explanation progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text small muted">
        {progress ? `${progress.done} / ${progress.total}${progress.message ? ` · ${progress.message}` : ''}` : active ? 'starting…' : ''}
      </span>
    </div>
  );
}
