// The points and weights of integrated gradients' path integral, exactly as Captum's
// attr/_utils/approximation_methods.py builds them: Riemann left/right/middle/trapezoid from
// torch.linspace in float32 (step sizes 1/n; the trapezoid halves the first and last, so its weights
// sum to (n−1)/n), and Gauss-Legendre from numpy's leggauss mapped to [0, 1] in float64.

export const IG_RULES = ['gauss-legendre', 'riemann-left', 'riemann-right', 'riemann-middle', 'riemann-trapezoid'] as const;
export type IgRule = (typeof IG_RULES)[number];

export interface Quadrature {
  alphas: number[];
  weights: number[];
}

export function quadrature(rule: IgRule, steps: number): Quadrature {
  if (rule === 'gauss-legendre') {
    const { nodes, weights } = gaussLegendre(steps);
    return { alphas: nodes.map((x) => 0.5 * (1 + x)), weights: weights.map((w) => 0.5 * w) };
  }
  if (steps < 2) throw new Error('Riemann rules need at least 2 steps (as Captum)');
  const n = steps;
  const [start, end] = {
    'riemann-left': [0, 1 - 1 / n],
    'riemann-right': [1 / n, 1],
    'riemann-middle': [1 / (2 * n), 1 - 1 / (2 * n)],
    'riemann-trapezoid': [0, 1],
  }[rule];
  // Captum: torch.tensor(step_sizes).float(); the trapezoid halves the ends in float64 first
  const weights = Array.from({ length: n }, (_, i) => Math.fround(rule === 'riemann-trapezoid' && (i === 0 || i === n - 1) ? 1 / n / 2 : 1 / n));
  return { alphas: torchLinspaceFloat32(start, end, n), weights };
}

/**
 * torch.linspace(start, end, steps) in float32 on the CPU (ATen's linspace kernel): values before the
 * halfway index count up from start, the others down from end, and the vectorised loop (8 float
 * lanes, two vectors per iteration, the rest scalar) adds lane·step to each vector's first value.
 */
export function torchLinspaceFloat32(start: number, end: number, steps: number): number[] {
  const f = Math.fround;
  const [s, e] = [f(start), f(end)];
  if (steps === 1) return [s];
  const step = f(f(e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  const scalar = (i: number) => (i < halfway ? f(s + f(step * i)) : f(e - f(step * (steps - i - 1))));
  const lanes = 8;
  const out = new Array<number>(steps);
  let i = 0;
  for (; i <= steps - 2 * lanes; i += 2 * lanes) {
    for (const first of [i, i + lanes]) {
      const base = scalar(first);
      for (let k = 0; k < lanes; k++) out[first + k] = f(base + f(k * step));
    }
  }
  for (; i < steps; i++) out[i] = scalar(i);
  return out;
}

/** Nodes (ascending, on [−1, 1]) and weights of the n-point Gauss-Legendre rule, by Newton's method in float64. */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes = new Array<number>(n);
  const weights = new Array<number>(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    // Tricomi's initial guess for the i-th largest root, then Newton on P_n
    let x = Math.cos((Math.PI * (4 * i + 3)) / (4 * n + 2));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      const [p, dp] = legendre(n, x);
      derivative = dp;
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    derivative = legendre(n, x)[1];
    const w = 2 / ((1 - x * x) * derivative * derivative);
    nodes[n - 1 - i] = x;
    nodes[i] = -x;
    weights[n - 1 - i] = w;
    weights[i] = w;
  }
  return { nodes, weights };
}

/** P_n(x) and P_n'(x) by the three-term recurrence. */
function legendre(n: number, x: number): [number, number] {
  let p0 = 1;
  let p1 = x;
  if (n === 0) return [1, 0];
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return [p1, (n * (x * p1 - p0)) / (x * x - 1)];
}
