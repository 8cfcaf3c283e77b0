import type { Rng } from '../rng';
import { normalCdf } from './erf';
import type { RowCoder } from './row-coder';

/** An error monitor at a node (ADWIN for the adaptive tree), as the core needs it. */
export interface ErrorMonitor {
  update(x: number): unknown;
  readonly driftDetected: boolean;
  readonly estimation: number;
  readonly width: number;
  getState(): unknown;
}

/** A leaf: class counts, and per feature the estimators its split attempts and naive Bayes read. */
export interface Leaf {
  readonly leaf: true;
  /** Weight per class (including what the leaf inherited from its parent's split). */
  stats: Float64Array;
  /** Weight per class learned since the leaf was created (the estimators' totals). */
  seen: Float64Array;
  /** Per numeric feature f and class c at (f·2 + c)·5: weight, mean, M2, min, max. */
  gauss: Float64Array;
  /** Per nominal code v and class c at v·2 + c (v flat, see RowCoder.nominalOffset): weight. */
  counts: Float64Array;
  /** Distinct codes seen per nominal field. */
  distinct: Int32Array;
  /** stats' total at the last split attempt. */
  lastAttempt: number;
  /** Weight the majority class / naive Bayes predicted correctly (for "nba"). */
  mc: number;
  nb: number;
  /** Features the leaf may split on (ids: numeric f, nominal m + j); null = all. */
  features: Int32Array | null;
  depth: number;
  /** Adaptive tree only. */
  monitor: ErrorMonitor | null;
  /**
   * Derived, not saved: per numeric feature f and class c at (f·2 + c)·3: mean, 1/(2σ²), ½·log(2πσ²)
   * (0, 0 without spread); then at m·6 + c: log(stats[c]) (the naive Bayes log prior's terms).
   */
  cache: Float64Array;
  /** Classes whose `cache` entries are out of date (bit c for class c). */
  stale: number;
}

/** An internal node. Numeric: x ≤ threshold → child 0. Nominal binary: code = value → 0. Multiway: child = code. */
export interface Branch {
  readonly leaf: false;
  /** Feature id: numeric f < m, nominal m + j. */
  feature: number;
  threshold: number;
  /** Nominal binary split: the code sent to child 0; −1 for a multiway split. */
  value: number;
  children: (TreeNode | null)[];
  /** Weight routed to each child (its initial class weight, then what it learned): missing values follow the heaviest. */
  weights: Float64Array;
  /** Class weight at the node (adaptive tree). */
  stats: Float64Array;
  depth: number;
  monitor: ErrorMonitor | null;
  /** Adaptive tree: the alternate subtree grown since a drift at this node. */
  alt: TreeNode | null;
}

export type TreeNode = Leaf | Branch;

/** The parameters the core needs (resolved tree options). */
export interface CoreParams {
  gracePeriod: number;
  delta: number;
  tau: number;
  splitPoints: number;
  nominalSplit: 'multiway' | 'binary';
  leafPrediction: 'mc' | 'nb' | 'nba';
  /** Features drawn per leaf; 0 = all. */
  subset: number;
}

/** JSON form of a node. */
export type NodeJson =
  | { l: 1; s: number[]; n: number[]; g: number[]; c: number[]; d: number[]; a: number; mc: number; nb: number; f: number[] | null; h: number; m: unknown }
  | { l: 0; f: number; t: number; v: number; ch: (NodeJson | null)[]; w: number[]; s: number[]; h: number; m: unknown; alt: NodeJson | null };

/** A leaf's numeric arrays (see TreeCore.leafArrays): views of one buffer, together covering it. */
interface LeafArrays { stats: Float64Array; seen: Float64Array; gauss: Float64Array; cache: Float64Array; counts: Float64Array }

/** Bytes of freed leaf buffers kept for reuse at most (at least 8 buffers): a forest drops whole trees at drifts. */
const POOL_BYTES = 1 << 21;

const LOG_2PI = Math.log(2 * Math.PI);
const LN2 = Math.LN2;
/** River's min_branch_fraction: a split must send more than this share of the weight to at least two branches. */
const MIN_BRANCH_FRACTION = 0.01;

/** Sets every element of `a` to 0. */
function zero(a: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = 0;
}

/** Binary entropy in bits of weights (a, b). */
function entropy2(a: number, b: number): number {
  const t = a + b;
  if (t <= 0) return 0;
  // A pure pair: the formula below gives exactly 0 (its one term is 1 · log(1)); skip the log.
  if (a === 0 || b === 0) return 0;
  let h = 0;
  if (a > 0) h -= (a / t) * Math.log(a / t);
  if (b > 0) h -= (b / t) * Math.log(b / t);
  return h / LN2;
}

/**
 * The Hoeffding tree (VFDT, Domingos & Hulten 2000) as River's HoeffdingTreeClassifier builds it, for
 * two classes: leaves keep per-class Gaussian estimators of each numeric feature (GaussianSplitter) and
 * per-class counts of each nominal code; every `gracePeriod` weight a leaf tries to split: the best and
 * second-best features by information gain (the "null split", gain 0, among them) are compared with the
 * Hoeffding bound ε = √(R² ln(1/δ) / 2n), R = log2(2) = 1; the leaf splits when the gap exceeds ε or
 * ε < τ. Numeric candidates are `splitPoints` thresholds equally spaced between the leaf's min and max,
 * each class's weight on either side from its Gaussian CDF. A branch needs more than 1% of the weight
 * in at least two children. The core holds the algorithms; trees (and forests of them) hold the nodes.
 */
export class TreeCore {
  readonly m: number;
  readonly q: number;
  private readonly nominalOffset: Int32Array;
  private readonly cardinality: Int32Array;
  private readonly totalCodes: number;
  /** Scratch for split evaluation: class weights per candidate branch. */
  private readonly branchW: Float64Array;
  /** Scratch for drawing feature subsets. */
  private readonly ids: Int32Array;
  /** Scratch: one numeric feature's per-class estimators during split evaluation (see loadGauss). */
  private readonly gs = new Float64Array(10);
  /** The naive Bayes P(y = 1) the last {@link leafProb} computed; NaN when it used the class frequencies. */
  lastNb = Number.NaN;
  /** Leaf buffers freed by splits, for {@link leafArrays} to reuse. */
  private readonly pool: LeafArrays[] = [];
  /** Doubles per leaf buffer, and the most buffers the pool keeps. */
  private readonly leafLength: number;
  private readonly poolMax: number;
  /** The threshold of the last {@link numericMerit}. */
  private meritT = 0;

  constructor(readonly coder: RowCoder, readonly params: CoreParams, private readonly rng: Rng | null) {
    this.m = coder.m;
    this.q = coder.q;
    this.nominalOffset = coder.nominalOffset;
    this.cardinality = coder.cardinality;
    this.totalCodes = coder.totalCodes;
    let maxCard = 2;
    for (let j = 0; j < this.q; j++) maxCard = Math.max(maxCard, this.cardinality[j]!);
    this.branchW = new Float64Array(maxCard * 2);
    this.ids = new Int32Array(this.m + this.q);
    this.leafLength = 6 + this.m * 16 + this.totalCodes * 2;
    this.poolMax = Math.max(8, Math.floor(POOL_BYTES / (8 * this.leafLength)));
    if (params.subset > 0 && !rng) throw new Error('TreeCore: feature subsets need an Rng');
  }

  /**
   * A leaf's numeric arrays as views of one buffer (stats, seen, gauss, cache, counts, in that order):
   * one allocation per leaf instead of five, and the values a row's learning and prediction read lie
   * together in memory. A buffer {@link release}d by a split is reused (zeroed) before a new one is
   * allocated: a typed array of this size lives outside the JS heap and costs microseconds to make and
   * collect, and a split makes two leaves and frees one.
   */
  private leafArrays(): LeafArrays {
    const pooled = this.pool.pop();
    if (pooled) {
      // Plain loops: TypedArray fill is a runtime call, and a new view over the whole buffer costs more.
      zero(pooled.stats);
      zero(pooled.seen);
      zero(pooled.gauss);
      zero(pooled.cache);
      zero(pooled.counts);
      return pooled;
    }
    const m = this.m;
    const buf = new Float64Array(this.leafLength);
    return {
      stats: buf.subarray(0, 2), seen: buf.subarray(2, 4), gauss: buf.subarray(4, 4 + m * 10), cache: buf.subarray(4 + m * 10, 6 + m * 16),
      counts: buf.subarray(6 + m * 16),
    };
  }

  /**
   * Gives back the arrays of a leaf that nothing references any more (the leaf a split just replaced,
   * after makeBranch read it): the next {@link newLeaf} reuses them. The leaf must not be read after.
   */
  release(leaf: Leaf): void {
    if (this.pool.length >= this.poolMax) return;
    const { stats, seen, gauss, cache, counts } = leaf;
    this.pool.push({ stats, seen, gauss, cache, counts });
  }

  /** {@link release}s every leaf under `node` (alternates included): for a tree that is being dropped whole. */
  releaseTree(node: TreeNode | null): void {
    if (!node || this.pool.length >= this.poolMax) return;
    if (node.leaf) {
      this.release(node);
      return;
    }
    for (let i = 0; i < node.children.length; i++) this.releaseTree(node.children[i]!);
    this.releaseTree(node.alt);
  }

  /** A fresh leaf with initial class weights (s0, s1). */
  newLeaf(s0: number, s1: number, depth: number, monitor: ErrorMonitor | null = null): Leaf {
    const { stats, seen, gauss, cache, counts } = this.leafArrays();
    stats[0] = s0;
    stats[1] = s1;
    return {
      leaf: true, stats, seen, gauss, counts, distinct: new Int32Array(this.q), lastAttempt: s0 + s1, mc: 0, nb: 0, features: this.drawFeatures(), depth, monitor,
      cache, stale: 3,
    };
  }

  /** `subset` distinct feature ids drawn uniformly (partial Fisher–Yates), ascending; null when all are used. */
  private drawFeatures(): Int32Array | null {
    const total = this.m + this.q;
    const k = this.params.subset;
    if (k <= 0 || k >= total) return null;
    const ids = this.ids;
    for (let i = 0; i < total; i++) ids[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.rng!.int(total - i);
      const t = ids[i]!;
      ids[i] = ids[j]!;
      ids[j] = t;
    }
    // ids[0 .. k) in ascending order (insertion sort: k is small; as slice().sort() without its two calls).
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const v = ids[i]!;
      let j = i;
      while (j > 0 && out[j - 1]! > v) {
        out[j] = out[j - 1]!;
        j--;
      }
      out[j] = v;
    }
    return out;
  }

  /** The child index of a row at a branch, or −1 when its value is missing or has no child (then the heaviest child is used). */
  route(b: Branch, num: Float64Array, nom: Int32Array): number {
    const f = b.feature;
    if (f < this.m) {
      const x = num[f]!;
      if (x - x !== 0) return -1;
      return x <= b.threshold ? 0 : 1;
    }
    const code = nom[f - this.m]!;
    if (b.value >= 0) return code === b.value ? 0 : 1;
    return b.children[code] ? code : -1;
  }

  /** The child that has seen the most weight. */
  heaviest(b: Branch): number {
    let best = -1;
    let bw = -1;
    for (let i = 0; i < b.children.length; i++) {
      if (b.children[i] && b.weights[i]! > bw) {
        bw = b.weights[i]!;
        best = i;
      }
    }
    return best;
  }

  /** The leaf a row reaches from `node` (pure). */
  sort(node: TreeNode, num: Float64Array, nom: Int32Array): Leaf {
    while (!node.leaf) {
      let i = this.route(node, num, nom);
      if (i < 0) i = this.heaviest(node);
      node = node.children[i]!;
    }
    return node;
  }

  /** P(y = 1) at a leaf: class frequencies, naive Bayes, or (nba) whichever has been right more often there. */
  leafProb(leaf: Leaf, num: Float64Array, nom: Int32Array): number {
    const lp = this.params.leafPrediction;
    if (lp === 'nb' || (lp === 'nba' && leaf.nb >= leaf.mc)) return (this.lastNb = this.naiveBayes(leaf, num, nom));
    this.lastNb = Number.NaN;
    const t = leaf.stats[0]! + leaf.stats[1]!;
    return t > 0 ? leaf.stats[1]! / t : 0;
  }

  /**
   * The leaf's naive Bayes P(y = 1), as River's do_naive_bayes_prediction: log prior from the leaf's
   * class weights plus, per feature the leaf tracks and the row has, the log of the class's Gaussian
   * density (sample variance; skipped while the class has no spread there) or of its Laplace-smoothed
   * code frequency (count + 1) / (class weight + distinct codes seen). A class without weight gets 0.
   */
  naiveBayes(leaf: Leaf, num: Float64Array, nom: Int32Array): number {
    const s0 = leaf.stats[0]!;
    const s1 = leaf.stats[1]!;
    if (s1 <= 0) return 0;
    if (s0 <= 0) return 1;
    if (leaf.stale !== 0) this.refresh(leaf);
    const k = leaf.cache;
    let l = k[this.m * 6 + 1]! - k[this.m * 6]!;
    const feats = leaf.features;
    const total = feats ? feats.length : this.m + this.q;
    for (let i = 0; i < total; i++) {
      const f = feats ? feats[i]! : i;
      if (f < this.m) {
        const x = num[f]!;
        if (x - x !== 0) continue;
        const a = f * 6;
        const d0 = x - k[a]!;
        const d1 = x - k[a + 3]!;
        l += k[a + 2]! + d0 * d0 * k[a + 1]! - k[a + 5]! - d1 * d1 * k[a + 4]!;
      } else {
        const j = f - this.m;
        const n = leaf.distinct[j]!;
        const v = (this.nominalOffset[j]! + nom[j]!) * 2;
        const c = leaf.counts;
        const d0 = leaf.seen[0]! + n;
        const d1 = leaf.seen[1]! + n;
        if (d1 > 0) l += Math.log((c[v + 1]! + 1) / d1);
        if (d0 > 0) l -= Math.log((c[v]! + 1) / d0);
      }
    }
    return 1 / (1 + Math.exp(-l));
  }

  /** Recomputes a leaf's stale Gaussian terms (sample variance, as River's Gaussian) and log class weights from its estimators. */
  private refresh(leaf: Leaf): void {
    const g = leaf.gauss;
    const k = leaf.cache;
    const feats = leaf.features;
    const total = feats ? feats.length : this.m + this.q;
    for (let i = 0; i < total; i++) {
      const f = feats ? feats[i]! : i;
      if (f >= this.m) continue;
      for (let c = 0; c < 2; c++) {
        if ((leaf.stale & (1 << c)) === 0) continue;
        const o = f * 10 + c * 5;
        const a = f * 6 + c * 3;
        const w = g[o]!;
        const v = w > 1 ? g[o + 2]! / (w - 1) : 0;
        k[a] = g[o + 1]!;
        if (v > 0) {
          k[a + 1] = 1 / (2 * v);
          k[a + 2] = 0.5 * (LOG_2PI + Math.log(v));
        } else {
          k[a + 1] = 0;
          k[a + 2] = 0;
        }
      }
    }
    const st = leaf.stats;
    if ((leaf.stale & 1) !== 0) k[this.m * 6] = Math.log(st[0]!);
    if ((leaf.stale & 2) !== 0) k[this.m * 6 + 1] = Math.log(st[1]!);
    leaf.stale = 0;
  }

  /**
   * Learns one example at a leaf (its "nba" bookkeeping first, then its estimators). Returns the
   * leaf's P(y = 1) before learning (= leafProb). `nb`, when not NaN, is naiveBayes(leaf, num, nom)
   * as already computed for this row and this state of the leaf (the prediction just before).
   */
  learnLeaf(leaf: Leaf, num: Float64Array, nom: Int32Array, y: 0 | 1, w: number, nb = Number.NaN): number {
    const s = leaf.stats;
    const t = s[0]! + s[1]!;
    const lp = this.params.leafPrediction;
    const nbp = lp !== 'mc' && t > 0 ? (nb === nb ? nb : this.naiveBayes(leaf, num, nom)) : 0;
    const mcp = t > 0 ? s[1]! / t : 0;
    const before = lp === 'nb' || (lp === 'nba' && leaf.nb >= leaf.mc) ? nbp : mcp;
    if (lp === 'nba') {
      if (t === 0 || (s[1]! > s[0]! ? 1 : 0) === y) leaf.mc += w;
      if (t > 0 && (nbp > 0.5 ? 1 : 0) === y) leaf.nb += w;
    }
    leaf.stale |= 1 << y;
    s[y] += w;
    leaf.seen[y] += w;
    const g = leaf.gauss;
    const feats = leaf.features;
    const total = feats ? feats.length : this.m + this.q;
    for (let i = 0; i < total; i++) {
      const f = feats ? feats[i]! : i;
      if (f < this.m) {
        const x = num[f]!;
        if (x - x !== 0) continue;
        const o = f * 10 + y * 5;
        const n0 = g[o]!;
        const n = n0 + w;
        const d = x - g[o + 1]!;
        const mean = g[o + 1]! + (w * d) / n;
        g[o] = n;
        g[o + 1] = mean;
        g[o + 2] = g[o + 2]! + w * d * (x - mean);
        if (n0 === 0) {
          g[o + 3] = x;
          g[o + 4] = x;
        } else {
          if (x < g[o + 3]!) g[o + 3] = x;
          if (x > g[o + 4]!) g[o + 4] = x;
        }
      } else {
        const j = f - this.m;
        const v = (this.nominalOffset[j]! + nom[j]!) * 2;
        const c = leaf.counts;
        if (c[v] === 0 && c[v + 1] === 0) leaf.distinct[j] += 1;
        c[v + y] += w;
      }
    }
    return before;
  }

  /** True when the leaf has seen `gracePeriod` more weight since its last split attempt. */
  due(leaf: Leaf): boolean {
    return leaf.stats[0]! + leaf.stats[1]! - leaf.lastAttempt >= this.params.gracePeriod;
  }

  /** Information gain of the split whose children have the class weights in branchW[0 .. 2k); −∞ without two branches above 1%. */
  private gain(preH: number, k: number): number {
    const bw = this.branchW;
    let total = 0;
    for (let i = 0; i < 2 * k; i++) total += bw[i]!;
    if (total <= 0) return Number.NEGATIVE_INFINITY;
    // The branch-fraction rule first: a candidate it refuses needs no entropies.
    let big = 0;
    for (let b = 0; b < k && big < 2; b++) if ((bw[2 * b]! + bw[2 * b + 1]!) / total > MIN_BRANCH_FRACTION) big += 1;
    if (big < 2) return Number.NEGATIVE_INFINITY;
    let h = 0;
    for (let b = 0; b < k; b++) {
      const t = bw[2 * b]! + bw[2 * b + 1]!;
      if (t > 0) h += (t / total) * entropy2(bw[2 * b]!, bw[2 * b + 1]!);
    }
    return preH - h;
  }

  /**
   * Loads numeric feature f's per-class estimators into the scratch `sides` reads, at c·5: weight, mean,
   * standard deviation (sample variance; 0 without spread), min, max.
   */
  private loadGauss(leaf: Leaf, f: number): void {
    const g = leaf.gauss;
    const e = this.gs;
    for (let c = 0; c < 2; c++) {
      const o = f * 10 + c * 5;
      const w = g[o]!;
      const v = w > 1 ? g[o + 2]! / (w - 1) : 0;
      e[c * 5] = w;
      e[c * 5 + 1] = g[o + 1]!;
      e[c * 5 + 2] = v > 0 ? Math.sqrt(v) : 0;
      e[c * 5 + 3] = g[o + 3]!;
      e[c * 5 + 4] = g[o + 4]!;
    }
  }

  /** Fills branchW[0..4) with the class weights left (x ≤ t) and right of threshold t on the feature {@link loadGauss} loaded. */
  private sides(t: number): void {
    const e = this.gs;
    const bw = this.branchW;
    for (let c = 0; c < 2; c++) {
      const w = e[c * 5]!;
      let left = 0;
      if (w > 0) {
        if (t < e[c * 5 + 3]!) left = 0;
        else if (t >= e[c * 5 + 4]!) left = w;
        else {
          const sd = e[c * 5 + 2]!;
          left = sd > 0 ? normalCdf((t - e[c * 5 + 1]!) / sd) * w : 0;
        }
      }
      bw[c] = left;
      bw[2 + c] = w - left;
    }
  }

  /** Fills branchW[0..4) with the class weights with code v of nominal field j (child 0) and without it (child 1). */
  private nominalSides(leaf: Leaf, j: number, v: number): void {
    const c = leaf.counts;
    const bw = this.branchW;
    const o = (this.nominalOffset[j]! + v) * 2;
    bw[0] = c[o]!;
    bw[1] = c[o + 1]!;
    bw[2] = leaf.seen[0]! - c[o]!;
    bw[3] = leaf.seen[1]! - c[o + 1]!;
  }

  /**
   * The best merit over numeric feature f's `splitPoints` thresholds between lo < hi (−∞ when none
   * qualifies); its threshold in {@link meritT}. The same arithmetic, in the same order, as
   * loadGauss + sides + gain(preH, 2) per threshold, with the estimators and the four branch weights
   * in locals: the split attempt is the forest's hottest loop.
   */
  private numericMerit(leaf: Leaf, f: number, lo: number, hi: number, preH: number): number {
    const g = leaf.gauss;
    const o0 = f * 10;
    const o1 = o0 + 5;
    const w0 = g[o0]!;
    const w1 = g[o1]!;
    const v0 = w0 > 1 ? g[o0 + 2]! / (w0 - 1) : 0;
    const v1 = w1 > 1 ? g[o1 + 2]! / (w1 - 1) : 0;
    const mean0 = g[o0 + 1]!;
    const mean1 = g[o1 + 1]!;
    const sd0 = v0 > 0 ? Math.sqrt(v0) : 0;
    const sd1 = v1 > 0 ? Math.sqrt(v1) : 0;
    const min0 = g[o0 + 3]!;
    const min1 = g[o1 + 3]!;
    const max0 = g[o0 + 4]!;
    const max1 = g[o1 + 4]!;
    const S = this.params.splitPoints;
    const step = (hi - lo) / (S + 1);
    let fMerit = Number.NEGATIVE_INFINITY;
    let fT = 0;
    for (let k = 1; k <= S; k++) {
      const t = lo + step * k;
      if (!(lo < t && t < hi)) continue;
      // sides(t)
      let l0 = 0;
      if (w0 > 0) {
        if (t < min0) l0 = 0;
        else if (t >= max0) l0 = w0;
        else l0 = sd0 > 0 ? normalCdf((t - mean0) / sd0) * w0 : 0;
      }
      let l1 = 0;
      if (w1 > 0) {
        if (t < min1) l1 = 0;
        else if (t >= max1) l1 = w1;
        else l1 = sd1 > 0 ? normalCdf((t - mean1) / sd1) * w1 : 0;
      }
      const r0 = w0 - l0;
      const r1 = w1 - l1;
      // gain(preH, 2) on [l0, l1, r0, r1]
      let total = 0;
      total += l0;
      total += l1;
      total += r0;
      total += r1;
      if (total <= 0) continue; // merit −∞: never above fMerit
      const tl = l0 + l1;
      const tr = r0 + r1;
      if (!(tl / total > MIN_BRANCH_FRACTION && tr / total > MIN_BRANCH_FRACTION)) continue;
      let h = 0;
      if (tl > 0) h += (tl / total) * entropy2(l0, l1);
      if (tr > 0) h += (tr / total) * entropy2(r0, r1);
      const merit = preH - h;
      if (merit > fMerit) {
        fMerit = merit;
        fT = t;
      }
    }
    this.meritT = fT;
    return fMerit;
  }

  /**
   * A split attempt (River's _attempt_to_split): returns the branch that replaces the leaf, or null.
   * Records the attempt in leaf.lastAttempt either way.
   */
  attemptSplit(leaf: Leaf): Branch | null {
    const s0 = leaf.stats[0]!;
    const s1 = leaf.stats[1]!;
    const n = s0 + s1;
    leaf.lastAttempt = n;
    if (s0 <= 0 || s1 <= 0) return null; // pure
    const preH = entropy2(s0, s1);
    const eps = Math.sqrt(Math.log(1 / this.params.delta) / (2 * n));
    // No candidate gains more than preH, and the null split (gain 0) is always a candidate: the gap
    // best − second cannot exceed preH, so when that is within ε and ε ≥ τ there is no split to find.
    if (!(preH > eps) && !(eps < this.params.tau)) return null;
    // The null split (gain 0) is a candidate, as in VFDT's pre-pruning.
    let best = 0;
    let bestF = -1;
    let bestT = 0;
    let bestV = -1;
    let second = Number.NEGATIVE_INFINITY;
    const feats = leaf.features;
    const total = feats ? feats.length : this.m + this.q;
    const g = leaf.gauss;
    const bw = this.branchW;
    const binary = this.params.nominalSplit === 'binary';
    for (let i = 0; i < total; i++) {
      const f = feats ? feats[i]! : i;
      let fMerit = Number.NEGATIVE_INFINITY;
      let fT = 0;
      let fV = -1;
      if (f < this.m) {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < 2; c++) {
          const o = f * 10 + c * 5;
          if (g[o]! > 0) {
            if (g[o + 3]! < lo) lo = g[o + 3]!;
            if (g[o + 4]! > hi) hi = g[o + 4]!;
          }
        }
        if (!(lo < hi)) continue;
        fMerit = this.numericMerit(leaf, f, lo, hi, preH);
        fT = this.meritT;
      } else {
        const j = f - this.m;
        const off = this.nominalOffset[j]!;
        const K = this.cardinality[j]!;
        const c = leaf.counts;
        if (leaf.distinct[j]! < 2) continue;
        if (!binary) {
          for (let v = 0; v < K; v++) {
            bw[2 * v] = c[(off + v) * 2]!;
            bw[2 * v + 1] = c[(off + v) * 2 + 1]!;
          }
          fMerit = this.gain(preH, K);
        } else {
          for (let v = 0; v < K; v++) {
            if (c[(off + v) * 2]! + c[(off + v) * 2 + 1]! === 0) continue;
            this.nominalSides(leaf, j, v);
            const merit = this.gain(preH, 2);
            if (merit > fMerit) {
              fMerit = merit;
              fV = v;
            }
          }
        }
      }
      if (fMerit > best) {
        second = best;
        best = fMerit;
        bestF = f;
        bestT = fT;
        bestV = fV;
      } else if (fMerit > second) second = fMerit;
    }
    if (bestF < 0) return null;
    if (!(best - second > eps || eps < this.params.tau)) return null;
    return this.makeBranch(leaf, bestF, bestT, bestV);
  }

  /** The branch replacing `leaf` on feature f, its children's class weights from the leaf's estimators. */
  private makeBranch(leaf: Leaf, f: number, t: number, value: number): Branch {
    const depth = leaf.depth + 1;
    let children: (TreeNode | null)[];
    let weights: Float64Array;
    const bw = this.branchW;
    if (f < this.m || value >= 0) {
      if (f < this.m) {
        this.loadGauss(leaf, f);
        this.sides(t);
      } else this.nominalSides(leaf, f - this.m, value);
      children = [this.newLeaf(bw[0]!, bw[1]!, depth), this.newLeaf(bw[2]!, bw[3]!, depth)];
      weights = Float64Array.of(bw[0]! + bw[1]!, bw[2]! + bw[3]!);
    } else {
      const j = f - this.m;
      const K = this.cardinality[j]!;
      const off = this.nominalOffset[j]!;
      const c = leaf.counts;
      children = new Array(K).fill(null);
      weights = new Float64Array(K);
      for (let v = 0; v < K; v++) {
        const a = c[(off + v) * 2]!;
        const b = c[(off + v) * 2 + 1]!;
        if (a + b > 0) {
          children[v] = this.newLeaf(a, b, depth);
          weights[v] = a + b;
        }
      }
    }
    return { leaf: false, feature: f, threshold: t, value, children, weights, stats: Float64Array.from(leaf.stats), depth: leaf.depth, monitor: null, alt: null };
  }

  /** Number of leaves under a node (alternates not counted). */
  leaves(node: TreeNode): number {
    if (node.leaf) return 1;
    let n = 0;
    for (const c of node.children) if (c) n += this.leaves(c);
    return n;
  }

  toJson(node: TreeNode): NodeJson {
    if (node.leaf) {
      return {
        l: 1, s: Array.from(node.stats), n: Array.from(node.seen), g: Array.from(node.gauss), c: Array.from(node.counts), d: Array.from(node.distinct),
        a: node.lastAttempt, mc: node.mc, nb: node.nb, f: node.features ? Array.from(node.features) : null, h: node.depth, m: node.monitor ? node.monitor.getState() : null,
      };
    }
    return {
      l: 0, f: node.feature, t: node.threshold, v: node.value, ch: node.children.map((c) => (c ? this.toJson(c) : null)), w: Array.from(node.weights),
      s: Array.from(node.stats), h: node.depth, m: node.monitor ? node.monitor.getState() : null, alt: node.alt ? this.toJson(node.alt) : null,
    };
  }

  /** A node from {@link toJson}; `monitor` rebuilds a node's error monitor from its state (null when the node had none). */
  fromJson(j: NodeJson, monitor: (state: unknown) => ErrorMonitor | null = () => null): TreeNode {
    const bad = (): never => { throw new Error('tree state does not match this learner'); };
    if (!j || typeof j !== 'object') bad();
    if (j.l === 1) {
      if (j.s.length !== 2 || !Array.isArray(j.n) || j.n.length !== 2 || j.g.length !== this.m * 10 || j.c.length !== this.totalCodes * 2 || j.d.length !== this.q) bad();
      const { stats, seen, gauss, cache, counts } = this.leafArrays();
      stats.set(j.s);
      seen.set(j.n);
      gauss.set(j.g);
      counts.set(j.c);
      return {
        leaf: true, stats, seen, gauss, counts, distinct: Int32Array.from(j.d), lastAttempt: j.a, mc: j.mc, nb: j.nb, features: j.f ? Int32Array.from(j.f) : null, depth: j.h,
        monitor: j.m === null ? null : monitor(j.m), cache, stale: 3,
      };
    }
    if (j.l !== 0 || !Array.isArray(j.ch) || j.ch.length !== j.w.length || !(j.f >= 0 && j.f < this.m + this.q)) bad();
    return {
      leaf: false, feature: j.f, threshold: j.t, value: j.v, children: j.ch.map((c) => (c ? this.fromJson(c, monitor) : null)),
      weights: Float64Array.from(j.w), stats: Float64Array.from(j.s), depth: j.h, monitor: j.m === null ? null : monitor(j.m),
      alt: j.alt ? this.fromJson(j.alt, monitor) : null,
    };
  }
}

/** Features per leaf for "sqrt" / "all" / a count, over m + q features (River's ARF: round(√n), at least 1). */
export function featureSubset(maxFeatures: 'sqrt' | 'all' | number, features: number): number {
  if (maxFeatures === 'all') return 0;
  const k = maxFeatures === 'sqrt' ? Math.round(Math.sqrt(features)) : maxFeatures;
  return Math.max(1, Math.min(k, features));
}
