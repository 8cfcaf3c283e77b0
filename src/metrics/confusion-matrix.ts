/**
 * Binary confusion matrix (positive class = 1), the shared state of every classification metric.
 * Counts can go down as well as up (`revert`), which is what rolling windows need.
 */
export class ConfusionMatrix {
  /** label 1, predicted 1 */
  tp = 0;
  /** label 0, predicted 1 */
  fp = 0;
  /** label 0, predicted 0 */
  tn = 0;
  /** label 1, predicted 0 */
  fn = 0;

  /** Count one (label, prediction) pair; `w` is a weight (default 1). */
  update(y: 0 | 1, yPred: 0 | 1, w = 1): void {
    if (y === 1) {
      if (yPred === 1) this.tp += w;
      else this.fn += w;
    } else if (yPred === 1) this.fp += w;
    else this.tn += w;
  }

  /** Undo a previous `update(y, yPred, w)`. */
  revert(y: 0 | 1, yPred: 0 | 1, w = 1): void {
    this.update(y, yPred, -w);
  }

  /** Number of pairs counted. */
  get total(): number {
    return this.tp + this.fp + this.tn + this.fn;
  }

  clone(): ConfusionMatrix {
    const c = new ConfusionMatrix();
    c.tp = this.tp;
    c.fp = this.fp;
    c.tn = this.tn;
    c.fn = this.fn;
    return c;
  }

  reset(): void {
    this.tp = this.fp = this.tn = this.fn = 0;
  }

  toJSON(): { tp: number; fp: number; tn: number; fn: number } {
    return { tp: this.tp, fp: this.fp, tn: this.tn, fn: this.fn };
  }

  /** Replace the counts (e.g. from `toJSON()` output in a checkpoint). */
  set(counts: { tp: number; fp: number; tn: number; fn: number }): this {
    this.tp = counts.tp;
    this.fp = counts.fp;
    this.tn = counts.tn;
    this.fn = counts.fn;
    return this;
  }
}

/*
 * Metric values from a confusion matrix. Every 0/0 case returns 0 (scikit-learn's zero_division=0):
 * precision with no predicted positive, recall with no actual positive, F1 when precision + recall = 0,
 * accuracy on an empty matrix, kappa when the chance agreement is 1 (p_e = 1) or the matrix is empty.
 */

/** tp / (tp + fp); 0 when nothing was predicted positive. */
export function precisionOf(cm: ConfusionMatrix): number {
  const d = cm.tp + cm.fp;
  return d > 0 ? cm.tp / d : 0;
}

/** tp / (tp + fn); 0 when there is no positive label. */
export function recallOf(cm: ConfusionMatrix): number {
  const d = cm.tp + cm.fn;
  return d > 0 ? cm.tp / d : 0;
}

/** 2·tp / (2·tp + fp + fn) (= harmonic mean of precision and recall); 0 when tp = fp = fn = 0. */
export function f1Of(cm: ConfusionMatrix): number {
  const d = 2 * cm.tp + cm.fp + cm.fn;
  return d > 0 ? (2 * cm.tp) / d : 0;
}

/** (tp + tn) / total; 0 on an empty matrix. */
export function accuracyOf(cm: ConfusionMatrix): number {
  const n = cm.total;
  return n > 0 ? (cm.tp + cm.tn) / n : 0;
}

/**
 * Cohen's kappa (p_o − p_e) / (1 − p_e), p_e the agreement expected by chance from the marginals.
 * 0 on an empty matrix and when p_e = 1 (both label and prediction constant and equal), like sklearn.
 */
export function kappaOf(cm: ConfusionMatrix): number {
  const n = cm.total;
  if (n <= 0) return 0;
  const po = (cm.tp + cm.tn) / n;
  const pe = ((cm.tp + cm.fn) * (cm.tp + cm.fp) + (cm.tn + cm.fp) * (cm.tn + cm.fn)) / (n * n);
  if (1 - pe <= 0) return 0;
  return (po - pe) / (1 - pe);
}
