// One probe session per model and image: the painted mask (model-input pixels, changed in place by
// the brush) and the requests it causes. Requests are latest-wins with one in flight: while a
// stroke is drawn the prediction follows it as fast as the engine answers, and the mask as it
// stands when the stroke ends is always sent, so the last answer shown is for the final mask.
// Plain TypeScript with a subscribe/snapshot pair, so React reads it with useSyncExternalStore.
import type { BinaryMask, MaskerName, ProbeResult } from '../../../api/schemas';
import { encodeMask } from '../../../core/tensor/binary-mask';
import { stampStroke, type MaskPoint } from './brush';

export interface ProbeSnapshot {
  /** counts the mask's changes */
  version: number;
  paintedCount: number;
  result: ProbeResult | null;
  /** ms from the end of the latest stroke to the answer for its final mask */
  strokeLatencyMs: number | null;
  answers: number;
  pending: boolean;
}

export interface ProbeQuestion {
  masker: MaskerName;
  target: number | null;
  /** ask for the masked input as a picture too */
  preview: boolean;
}

export type ProbeRunner = (mask: BinaryMask, question: ProbeQuestion) => Promise<ProbeResult>;

export class ProbeSession {
  readonly mask: Uint8Array;
  private snapshot: ProbeSnapshot = { version: 0, paintedCount: 0, result: null, strokeLatencyMs: null, answers: 0, pending: false };
  private readonly listeners = new Set<() => void>();
  private question: ProbeQuestion = { masker: 'blur', target: null, preview: false };
  private inFlight = false;
  private sentVersion = -1;
  private strokeEnd: { version: number; at: number } | null = null;
  private last: MaskPoint | null = null;
  private closed = false;
  /** the masker the engine was last warmed for */
  private warmed: MaskerName | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly run: ProbeRunner,
    private readonly onError: (error: unknown) => void,
  ) {
    this.mask = new Uint8Array(width * height);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ProbeSnapshot => this.snapshot;

  /** A new masker or target is a new question about the same mask. */
  ask(question: ProbeQuestion): void {
    if (question.masker === this.question.masker && question.target === this.question.target && question.preview === this.question.preview) return;
    this.question = question;
    if (this.snapshot.paintedCount > 0) this.changed();
  }

  /**
   * Asks once per masker about an empty mask, answer unused: the engine then has the image's
   * unmasked scores and the masker's fill ready, so the first stroke costs one forward pass.
   */
  warm(): void {
    const { masker } = this.question;
    if (this.closed || this.warmed === masker) return;
    this.warmed = masker;
    this.run(encodeEmpty(this.width, this.height), { ...this.question, preview: false }).catch(() => {
      this.warmed = null; // a real stroke will report the problem
    });
  }

  /** Brush input in model-input pixels: starts, continues or ends a stroke of ellipse radii rx, ry. */
  stroke(phase: 'down' | 'move' | 'up', point: MaskPoint, rx: number, ry: number, value: 0 | 1): void {
    if (phase === 'down') {
      this.last = point;
      this.strokeEnd = null;
      if (this.snapshot.strokeLatencyMs !== null) this.update({ strokeLatencyMs: null });
    }
    if (!this.last) return;
    const touched = stampStroke(this.mask, this.width, this.height, this.last, point, rx, ry, value);
    this.last = phase === 'up' ? null : point;
    if (touched > 0) this.changed(touched * (value ? 1 : -1));
    if (phase === 'up') {
      this.strokeEnd = { version: this.snapshot.version, at: performance.now() };
      // A stroke that changed nothing still gets its answer (the current one, if there is one).
      if (touched === 0 && !this.inFlight) this.settleStroke();
    }
  }

  clear(): void {
    this.mask.fill(0);
    this.changed(-this.snapshot.paintedCount, true);
  }

  load(mask: Uint8Array): void {
    if (mask.length !== this.mask.length) throw new RangeError(`The saved mask has ${mask.length} pixels; the model input has ${this.mask.length}`);
    this.mask.set(mask);
    this.changed(0, false, true);
  }

  encoded(): BinaryMask {
    return encodeMask(this.width, this.height, this.mask);
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }

  private changed(paintedDelta = 0, dropResult = false, recount = false): void {
    const paintedCount = recount ? this.mask.reduce((n, v) => n + v, 0) : this.snapshot.paintedCount + paintedDelta;
    this.update({ version: this.snapshot.version + 1, paintedCount, ...(dropResult ? { result: null } : {}) });
    this.send();
  }

  private send(): void {
    if (this.inFlight || this.closed || this.sentVersion === this.snapshot.version) return;
    if (this.snapshot.paintedCount === 0) {
      // Nothing hidden: the answer would be the unmasked prediction; show nothing instead.
      this.sentVersion = this.snapshot.version;
      this.update({ result: null, pending: false });
      this.settleStroke();
      return;
    }
    const version = this.snapshot.version;
    this.inFlight = true;
    this.sentVersion = version;
    this.update({ pending: true });
    this.run(this.encoded(), this.question).then(
      (result) => {
        this.inFlight = false;
        if (this.closed) return;
        const answered = { result, answers: this.snapshot.answers + 1 };
        if (this.snapshot.version === version) this.update({ ...answered, pending: false });
        else this.update(answered);
        if (this.strokeEnd && version >= this.strokeEnd.version) this.settleStroke();
        this.send();
      },
      (error: unknown) => {
        this.inFlight = false;
        if (this.closed) return;
        this.update({ pending: false });
        this.onError(error);
      },
    );
  }

  private settleStroke(): void {
    if (!this.strokeEnd) return;
    this.update({ strokeLatencyMs: performance.now() - this.strokeEnd.at });
    this.strokeEnd = null;
  }

  private update(changes: Partial<ProbeSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }
}

/** A mask that hides nothing. */
function encodeEmpty(width: number, height: number): BinaryMask {
  return { width, height, runs: [width * height] };
}
