import { Adwin } from '../drift/adwin';
import type { RowModel } from './row-learner';
import { Rng, type RngState } from './rng';
import type { Branch, ErrorMonitor, Leaf, NodeJson, TreeCore, TreeNode } from './tree/hoeffding-core';
import { Poisson } from './tree/poisson';

/** Options of {@link HoeffdingAdaptiveTree} (resolved tree options). */
export interface HatOptions {
  /** δ of each node's ADWIN. */
  adwinDelta: number;
  /** Both error windows must exceed this before an alternate is judged (River's drift_window_threshold). */
  switchWindow: number;
  /** Poisson(1) example weights at the leaves (River's bootstrap_sampling). */
  bootstrap: boolean;
}

/** JSON-safe state of a {@link HoeffdingAdaptiveTree}. */
export interface HatState {
  kind: 'hat';
  root: NodeJson;
  rng: RngState;
  /** Alternate subtrees started, swapped in, pruned. */
  counts: [number, number, number];
}

/** Significance of the test that swaps an alternate subtree in (River's and MOA's 0.05). */
const SWITCH_SIGNIFICANCE = 0.05;

/**
 * The Hoeffding Adaptive Tree (Bifet & Gavaldà 2009, "Adaptive learning from evolving data streams"),
 * as River's HoeffdingAdaptiveTreeClassifier: a Hoeffding tree (see TreeCore) whose every node feeds an
 * ADWIN monitor with the 0/1 error of the prediction made for the examples passing through it. When a
 * branch's monitor detects a drift with the error rising, the branch starts an alternate subtree (a new
 * leaf) that learns from the same examples; once both error windows hold more than `switchWindow`
 * examples, the alternate replaces the branch when its error is lower by more than
 * √(2·e(1 − e)·ln(2/0.05)·(1/n_alt + 1/n)) (e = the branch's error), and is dropped when it is higher by
 * as much. Predictions come from the main tree. With `bootstrap`, leaves weight each example by
 * k ~ Poisson(1) when k > 0 (weight 1 when k = 0, as River and MOA do).
 */
export class HoeffdingAdaptiveTree implements RowModel {
  root: TreeNode;
  private rng: Rng;
  private readonly poisson = new Poisson(1);
  private started = 0;
  private swapped = 0;
  private pruned = 0;

  constructor(readonly core: TreeCore, readonly options: HatOptions, seed: string | number) {
    this.rng = new Rng(`${String(seed)}:hat`);
    this.root = this.leaf(0, 0, 0);
  }

  private monitor(): Adwin {
    return new Adwin({ delta: this.options.adwinDelta });
  }

  private leaf(s0: number, s1: number, depth: number): Leaf {
    return this.core.newLeaf(s0, s1, depth, this.monitor());
  }

  /** Alternate subtrees started, swapped in and pruned so far. */
  get alternates(): { started: number; swapped: number; pruned: number } {
    return { started: this.started, swapped: this.swapped, pruned: this.pruned };
  }

  /** Puts `node` where the learner found the one it replaces: the root, a child slot, or (slot −1) an alternate. */
  private replace(owner: Branch | null, slot: number, node: TreeNode): void {
    if (owner === null) this.root = node;
    else if (slot < 0) owner.alt = node;
    else owner.children[slot] = node;
  }

  learnOne(num: Float64Array, nom: Int32Array, y: 0 | 1, w: number): number {
    const core = this.core;
    const p = core.leafProb(core.sort(this.root, num, nom), num, nom);
    this.learnNode(this.root, null, 0, num, nom, y, w, p > 0.5 ? 1 : 0);
    return p;
  }

  /**
   * Learns one example in the subtree `node` (at `owner`'s `slot`); `yPred` is the prediction of the
   * leaf the example reaches from the subtree's root (the same for every node on its path).
   */
  private learnNode(node: TreeNode, owner: Branch | null, slot: number, num: Float64Array, nom: Int32Array, y: 0 | 1, w: number, yPred: number): void {
    const core = this.core;
    const err = yPred === y ? 0 : 1;
    if (node.leaf) {
      let weight = w;
      if (this.options.bootstrap) {
        const k = this.poisson.draw(this.rng);
        if (k > 0) weight = w * k;
      }
      node.monitor!.update(err);
      core.learnLeaf(node, num, nom, y, weight);
      if (core.due(node)) {
        const b = core.attemptSplit(node);
        if (b) {
          b.monitor = this.monitor();
          for (const c of b.children) if (c) c.monitor = this.monitor();
          this.replace(owner, slot, b);
        }
      }
      return;
    }
    node.stats[y] += w;
    const mon = node.monitor!;
    const old = mon.estimation;
    mon.update(err);
    if (mon.driftDetected && !(old > mon.estimation)) {
      node.alt = this.leaf(0, 0, node.depth);
      this.started += 1;
    } else if (node.alt !== null && node.alt.monitor!.width > 0) {
      const alt = node.alt.monitor!;
      if (mon.width > this.options.switchWindow && alt.width > this.options.switchWindow) {
        const e = mon.estimation;
        const ea = alt.estimation;
        const bound = Math.sqrt(2 * e * (1 - e) * Math.log(2 / SWITCH_SIGNIFICANCE) * (1 / alt.width + 1 / mon.width));
        if (bound < e - ea) {
          this.replace(owner, slot, node.alt);
          node.alt = null;
          this.swapped += 1;
          return; // the old subtree is gone; the example was learnt by the alternate before
        } else if (bound < ea - e) {
          node.alt = null;
          this.pruned += 1;
        }
      }
    }
    if (node.alt !== null) {
      const a = node.alt;
      const pa = core.leafProb(core.sort(a, num, nom), num, nom);
      this.learnNode(a, node, -1, num, nom, y, w, pa > 0.5 ? 1 : 0);
    }
    let i = core.route(node, num, nom);
    if (i < 0) {
      if (node.feature >= core.m && node.value < 0) {
        i = nom[node.feature - core.m]!;
        node.children[i] = this.leaf(0, 0, node.depth + 1);
      } else i = core.heaviest(node);
    }
    node.weights[i] += w;
    this.learnNode(node.children[i]!, node, i, num, nom, y, w, yPred);
  }

  predictOne(num: Float64Array, nom: Int32Array): number {
    return this.core.leafProb(this.core.sort(this.root, num, nom), num, nom);
  }

  getState(): HatState {
    return { kind: 'hat', root: this.core.toJson(this.root), rng: this.rng.state(), counts: [this.started, this.swapped, this.pruned] };
  }

  setState(state: unknown): void {
    const s = state as HatState;
    if (!s || s.kind !== 'hat' || !Array.isArray(s.counts)) throw new Error('hoeffding adaptive tree state does not match this learner');
    const root = this.core.fromJson(s.root, (m): ErrorMonitor => {
      const a = this.monitor();
      a.setState(m);
      return a;
    });
    const rng = new Rng('');
    rng.setState(s.rng);
    this.root = root;
    this.rng = rng;
    [this.started, this.swapped, this.pruned] = s.counts;
  }
}
