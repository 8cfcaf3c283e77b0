import { Adwin } from '../drift/adwin';
import { HoeffdingTree, type HoeffdingTreeState } from './hoeffding-tree';
import type { RowModel } from './row-learner';
import type { Rng, RngState } from './rng';
import type { TreeCore } from './tree/hoeffding-core';
import { Poisson } from './tree/poisson';

/** Options of {@link AdaptiveRandomForest} (resolved tree options). */
export interface ArfOptions {
  trees: number;
  poissonLambda: number;
  warningDelta: number;
  driftDelta: number;
  weightedVote: boolean;
}

/** One member: its tree, background tree, detectors and accuracy since it was created. */
interface Member {
  tree: HoeffdingTree;
  background: HoeffdingTree | null;
  warning: Adwin;
  drift: Adwin;
  correct: number;
  seen: number;
}

/** JSON-safe state of an {@link AdaptiveRandomForest}. */
export interface ArfState {
  kind: 'arf';
  members: { tree: HoeffdingTreeState; background: HoeffdingTreeState | null; warning: unknown; drift: unknown; correct: number; seen: number }[];
  rng: RngState;
  /** Warnings and drifts detected over all members. */
  counts: [number, number];
}

/**
 * The Adaptive Random Forest (Gomes et al. 2017, "Adaptive random forests for evolving data stream
 * classification"), as River's ARFClassifier: `trees` Hoeffding trees whose leaves each split on a
 * random subset of the features (drawn when the leaf is made; see TreeCore), grace period 50 and
 * δ = 0.01 by default; every example is learnt by each tree with weight k ~ Poisson(λ = 6) (online
 * bagging; skipped when k = 0). Each tree's 0/1 error (prediction made before learning) feeds two
 * ADWIN detectors: a warning (δ = 0.01) starts a background tree that learns alongside; a drift
 * (δ = 0.001) replaces the tree by its background tree (or a new tree) and resets its detectors and
 * accuracy. The forest's P(y = 1) is the accuracy-weighted mean of the trees' probabilities (a tree
 * with accuracy 0 votes with weight 1, as in River; a tree that has learnt nothing does not vote).
 */
export class AdaptiveRandomForest implements RowModel {
  private members: Member[];
  private readonly poisson: Poisson;
  private warnings = 0;
  private drifts = 0;

  /** `rng` is the core's too (feature subsets): one stream for the whole forest, saved with it. */
  constructor(readonly core: TreeCore, readonly options: ArfOptions, private readonly rng: Rng) {
    this.poisson = new Poisson(options.poissonLambda);
    this.members = Array.from({ length: options.trees }, () => this.member(new HoeffdingTree(core)));
  }

  private member(tree: HoeffdingTree): Member {
    return { tree, background: null, warning: new Adwin({ delta: this.options.warningDelta }), drift: new Adwin({ delta: this.options.driftDelta }), correct: 0, seen: 0 };
  }

  /** Warnings and drifts detected so far (over all trees). */
  get detections(): { warnings: number; drifts: number } {
    return { warnings: this.warnings, drifts: this.drifts };
  }

  /** Trees currently growing a background tree (after a warning, until their drift). */
  get backgrounds(): number {
    return this.members.reduce((n, m) => n + (m.background ? 1 : 0), 0);
  }

  /** A member's vote weight: its accuracy since it was created (1 while that is 0, or unweighted). */
  private weight(m: Member): number {
    const a = m.seen > 0 ? m.correct / m.seen : 0;
    return this.options.weightedVote && a > 0 ? a : 1;
  }

  learnOne(num: Float64Array, nom: Int32Array, y: 0 | 1, w: number): number {
    const core = this.core;
    let acc0 = 0;
    let acc1 = 0;
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const wt = this.weight(m);
      const k = this.poisson.draw(this.rng);
      // The tree's prediction before it learns: from its learning pass when it learns (one walk), else a walk.
      let p: number;
      let empty: boolean;
      if (k > 0) {
        if (m.background) m.background.learnOne(num, nom, y, k * w);
        p = m.tree.learnOne(num, nom, y, k * w);
        empty = m.tree.lastEmpty;
      } else {
        const leaf = core.sort(m.tree.root, num, nom);
        empty = leaf.stats[0]! + leaf.stats[1]! <= 0;
        p = empty ? 0 : core.leafProb(leaf, num, nom);
      }
      if (!empty) {
        acc0 += wt * (1 - p);
        acc1 += wt * p;
      }
      const yPred = !empty && p > 0.5 ? 1 : 0;
      m.seen += 1;
      if (yPred === y) m.correct += 1;
      const err = yPred === y ? 0 : 1;
      m.warning.update(err);
      if (m.warning.driftDetected) {
        // A background tree that a new warning replaces is dropped whole: its leaves' buffers go back to the core.
        if (m.background) core.releaseTree(m.background.root);
        m.background = new HoeffdingTree(core);
        m.warning = new Adwin({ delta: this.options.warningDelta });
        this.warnings += 1;
      }
      m.drift.update(err);
      if (m.drift.driftDetected) {
        core.releaseTree(m.tree.root);
        members[i] = this.member(m.background ?? new HoeffdingTree(core));
        this.drifts += 1;
      }
    }
    const t = acc0 + acc1;
    return t > 0 ? acc1 / t : 0;
  }

  predictOne(num: Float64Array, nom: Int32Array): number {
    let acc0 = 0;
    let acc1 = 0;
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i]!;
      const leaf = m.tree.leafOf(num, nom);
      if (leaf.stats[0]! + leaf.stats[1]! <= 0) continue;
      const p = m.tree.probAt(leaf, num, nom);
      const wt = this.weight(m);
      acc0 += wt * (1 - p);
      acc1 += wt * p;
    }
    const t = acc0 + acc1;
    return t > 0 ? acc1 / t : 0;
  }

  getState(): ArfState {
    return {
      kind: 'arf',
      members: this.members.map((m) => ({
        tree: m.tree.getState(), background: m.background ? m.background.getState() : null, warning: m.warning.getState(), drift: m.drift.getState(), correct: m.correct, seen: m.seen,
      })),
      rng: this.rng.state(),
      counts: [this.warnings, this.drifts],
    };
  }

  setState(state: unknown): void {
    const s = state as ArfState;
    if (!s || s.kind !== 'arf' || !Array.isArray(s.members) || s.members.length !== this.options.trees) throw new Error('adaptive random forest state does not match this learner');
    const tree = (t: HoeffdingTreeState): HoeffdingTree => {
      const h = new HoeffdingTree(this.core);
      h.setState(t);
      return h;
    };
    const members = s.members.map((m): Member => {
      const warning = new Adwin({ delta: this.options.warningDelta });
      warning.setState(m.warning);
      const drift = new Adwin({ delta: this.options.driftDelta });
      drift.setState(m.drift);
      return { tree: tree(m.tree), background: m.background ? tree(m.background) : null, warning, drift, correct: m.correct, seen: m.seen };
    });
    if (!s.rng || typeof s.rng !== 'object') throw new Error('adaptive random forest state does not match this learner');
    this.members = members;
    this.rng.setState(s.rng); // in place: the core draws from the same Rng
    [this.warnings, this.drifts] = s.counts;
  }
}
