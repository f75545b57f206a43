// Weighted linear surrogate fits of LIME and KernelSHAP, as scikit-learn 1.2.1 fits them through
// Captum (sklearn_train_linear_model, norm_input=False):
// - lasso: Lasso(alpha) with sample weights — sw rescaled to sum to n, weighted centring, rows scaled by
//   √sw, cyclic coordinate descent from 0 with sklearn's stopping rule (max |Δb| / max |b| < tol, then
//   duality gap < tol·‖yt‖²), intercept = ȳ − x̄·b (fixture README "LIME / KernelSHAP", run in float64);
// - ridge: Ridge(alpha) (weighted centring, no rescaling, (XᵀX + αI) b = Xᵀy);
// - leastSquares: LinearRegression (weighted centring, min-norm least squares);
// - constrainedLeastSquares: KernelSHAP with the efficiency constraint imposed exactly (shap's
//   elimination of one coefficient) and the intercept fixed at f(baseline).
// Dense solves use ml-matrix (a symmetric eigendecomposition of the normal matrix: min-norm when rank-deficient).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A design: n rows of m features, row-major (0/1 masks in practice). */
export interface Design {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

export interface LinearFit {
  coef: Float64Array;
  intercept: number;
  /** weighted R² of the fit on its own samples (sklearn's `score` with sample_weight) */
  r2: number;
}

interface Centred {
  /** (X − x̄)·√w, column-major [m][n] */
  columns: Float64Array[];
  /** (y − ȳ)·√w */
  yt: Float64Array;
  xbar: Float64Array;
  ybar: number;
}

function centre(X: Design, y: ArrayLike<number>, w: ArrayLike<number>): Centred {
  const { rows: n, cols: m, data } = X;
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += w[i];
  const xbar = new Float64Array(m);
  let ybar = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) xbar[j] += w[i] * data[i * m + j];
    ybar += w[i] * y[i];
  }
  for (let j = 0; j < m; j++) xbar[j] /= wsum;
  ybar /= wsum;
  const columns = Array.from({ length: m }, () => new Float64Array(n));
  const yt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i]);
    for (let j = 0; j < m; j++) columns[j][i] = (data[i * m + j] - xbar[j]) * s;
    yt[i] = (y[i] - ybar) * s;
  }
  return { columns, yt, xbar, ybar };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Solves (AᵀA + ridge·I) b = Aᵀy for A given by columns; min-norm (pseudo-inverse) when singular. */
function normalSolve(columns: Float64Array[], yt: Float64Array, ridge: number): Float64Array {
  const m = columns.length;
  const gram = new Matrix(m, m);
  const rhs = new Matrix(m, 1);
  for (let j = 0; j < m; j++) {
    rhs.set(j, 0, dot(columns[j], yt));
    for (let k = 0; k <= j; k++) {
      const v = dot(columns[j], columns[k]) + (j === k ? ridge : 0);
      gram.set(j, k, v);
      gram.set(k, j, v);
    }
  }
  const eig = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const largest = Math.max(...values.map(Math.abs), 0);
  // eigenvalues of AᵀA are squared singular values: 1e-12 relative = condition number 1e6 on A
  const cutoff = largest * 1e-12;
  const projected = vectors.transpose().mmul(rhs);
  for (let i = 0; i < m; i++) projected.set(i, 0, values[i] > cutoff ? projected.get(i, 0) / values[i] : 0);
  return Float64Array.from(vectors.mmul(projected).getColumn(0));
}

function finish(X: Design, y: ArrayLike<number>, w: ArrayLike<number>, coef: Float64Array, intercept: number): LinearFit {
  return { coef, intercept, r2: weightedR2(X, y, w, coef, intercept) };
}

/** sklearn LinearRegression().fit(X, y, sample_weight=w). */
export function leastSquares(X: Design, y: ArrayLike<number>, w: ArrayLike<number>): LinearFit {
  const c = centre(X, y, w);
  const coef = normalSolve(c.columns, c.yt, 0);
  return finish(X, y, w, coef, c.ybar - dot(c.xbar, coef));
}

/** sklearn Ridge(alpha).fit(X, y, sample_weight=w). */
export function ridge(X: Design, y: ArrayLike<number>, w: ArrayLike<number>, alpha = 1): LinearFit {
  const c = centre(X, y, w);
  const coef = normalSolve(c.columns, c.yt, alpha);
  return finish(X, y, w, coef, c.ybar - dot(c.xbar, coef));
}

export interface LassoOptions {
  maxIter?: number;
  tol?: number;
}

/** sklearn Lasso(alpha, max_iter, tol).fit(X, y, sample_weight=w): coordinate descent, cyclic. */
export function lasso(X: Design, y: ArrayLike<number>, w: ArrayLike<number>, alpha = 0.01, options: LassoOptions = {}): LinearFit & { iterations: number; gap: number } {
  const n = X.rows;
  const m = X.cols;
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-4;
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += w[i];
  const sw = Float64Array.from({ length: n }, (_, i) => (w[i] * n) / wsum);
  const { columns, yt, xbar, ybar } = centre(X, y, sw);
  const l1 = alpha * n;
  const norms = columns.map((col) => dot(col, col));
  const b = new Float64Array(m);
  const residual = Float64Array.from(yt);
  const gapTol = tol * dot(yt, yt);
  let gap = Number.POSITIVE_INFINITY;
  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    iterations = iter + 1;
    let maxCoef = 0;
    let maxStep = 0;
    for (let j = 0; j < m; j++) {
      if (norms[j] === 0) continue;
      const col = columns[j];
      const old = b[j];
      if (old !== 0) for (let i = 0; i < n; i++) residual[i] += old * col[i];
      const rho = dot(col, residual);
      b[j] = (Math.sign(rho) * Math.max(Math.abs(rho) - l1, 0)) / norms[j];
      if (b[j] !== 0) for (let i = 0; i < n; i++) residual[i] -= b[j] * col[i];
      maxStep = Math.max(maxStep, Math.abs(b[j] - old));
      maxCoef = Math.max(maxCoef, Math.abs(b[j]));
    }
    if (maxCoef === 0 || maxStep / maxCoef < tol || iter === maxIter - 1) {
      // sklearn's final check: the duality gap
      let dualNorm = 0;
      for (let j = 0; j < m; j++) dualNorm = Math.max(dualNorm, Math.abs(dot(columns[j], residual)));
      const rNorm2 = dot(residual, residual);
      let scale = 1;
      gap = rNorm2;
      if (dualNorm > l1) {
        scale = l1 / dualNorm;
        gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
      }
      let l1Norm = 0;
      for (let j = 0; j < m; j++) l1Norm += Math.abs(b[j]);
      gap += l1 * l1Norm - scale * dot(residual, yt);
      if (gap < gapTol) break;
    }
  }
  return { ...finish(X, y, w, b, ybar - dot(xbar, b)), iterations, gap };
}

/**
 * Weighted least squares with the intercept fixed and Σ coef = total (KernelSHAP's efficiency:
 * intercept f(baseline), total f(x) − f(baseline)). The last coefficient is eliminated:
 * y − intercept − z_last·total = Σ_{j<last} (z_j − z_last)·coef_j.
 */
export function constrainedLeastSquares(X: Design, y: ArrayLike<number>, w: ArrayLike<number>, intercept: number, total: number): LinearFit {
  const { rows: n, cols: m, data } = X;
  const last = m - 1;
  const columns = Array.from({ length: last }, () => new Float64Array(n));
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i]);
    const zLast = data[i * m + last];
    for (let j = 0; j < last; j++) columns[j][i] = (data[i * m + j] - zLast) * s;
    target[i] = (y[i] - intercept - zLast * total) * s;
  }
  const reduced = last > 0 ? normalSolve(columns, target, 0) : new Float64Array(0);
  const coef = new Float64Array(m);
  coef.set(reduced);
  coef[last] = total - reduced.reduce((a, v) => a + v, 0);
  return finish(X, y, w, coef, intercept);
}

/** 1 − Σw(y − ŷ)² / Σw(y − ȳ_w)²; 1 when y is constant and fitted exactly. */
function weightedR2(X: Design, y: ArrayLike<number>, w: ArrayLike<number>, coef: ArrayLike<number>, intercept: number): number {
  const { rows: n, cols: m, data } = X;
  let wsum = 0;
  let ybar = 0;
  for (let i = 0; i < n; i++) {
    wsum += w[i];
    ybar += w[i] * y[i];
  }
  ybar /= wsum;
  let residual = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    let fitted = intercept;
    for (let j = 0; j < m; j++) fitted += coef[j] * data[i * m + j];
    residual += w[i] * (y[i] - fitted) ** 2;
    spread += w[i] * (y[i] - ybar) ** 2;
  }
  if (spread === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / spread;
}
