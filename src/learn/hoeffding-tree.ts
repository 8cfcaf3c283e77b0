import type { RowModel } from './row-learner';
import { TreeCore, type Branch, type Leaf, type NodeJson, type TreeNode } from './tree/hoeffding-core';

/** JSON-safe state of a {@link HoeffdingTree}. */
export interface HoeffdingTreeState {
  kind: 'hoeffding-tree';
  root: NodeJson;
}

/**
 * A Hoeffding tree (VFDT; Domingos & Hulten 2000) with River's HoeffdingTreeClassifier defaults:
 * grace period 200, δ = 1e-7, τ = 0.05, information gain, Gaussian numeric splitters with 10
 * candidate thresholds, multiway nominal splits, naive-Bayes-adaptive leaves (see {@link TreeCore}).
 * Learning walks one path and updates one leaf: no allocation unless the leaf splits.
 */
export class HoeffdingTree implements RowModel {
  root: TreeNode;
  /** Set by learnOne: the leaf that predicted had learnt nothing yet (its prediction is no vote). */
  lastEmpty = false;
  /**
   * The path the last {@link leafOf} walked (branches and child slots) for the row in memoNum/memoNom,
   * valid until the tree learns: learning that row right after predicting it (the prequential loop)
   * then skips the second walk. Derived, never saved; the result is the same either way.
   */
  private memoValid = false;
  private memoDepth = 0;
  private memoPath: Branch[] = [];
  private memoSlots = new Int32Array(16);
  private memoLeaf: Leaf | null = null;
  /** The memo leaf's naive Bayes P(y = 1) for the memo row when a prediction computed it, else NaN. */
  private memoNb = Number.NaN;
  private readonly memoNum: Float64Array;
  private readonly memoNom: Int32Array;

  constructor(readonly core: TreeCore) {
    this.root = core.newLeaf(0, 0, 0);
    this.memoNum = new Float64Array(core.m);
    this.memoNom = new Int32Array(core.q);
  }

  /** The leaf a row reaches (as TreeCore.sort), remembering the path for a following learnOne of the same row. */
  leafOf(num: Float64Array, nom: Int32Array): Leaf {
    const core = this.core;
    let node = this.root;
    let d = 0;
    let valid = true;
    while (!node.leaf) {
      let i = core.route(node, num, nom);
      if (i < 0) {
        // learnOne would grow a leaf for a nominal code without a child: no memo then.
        if (node.feature >= core.m && node.value < 0) valid = false;
        i = core.heaviest(node);
      }
      if (d === this.memoSlots.length) {
        const grown = new Int32Array(2 * d);
        grown.set(this.memoSlots);
        this.memoSlots = grown;
      }
      this.memoPath[d] = node;
      this.memoSlots[d] = i;
      d++;
      node = node.children[i]!;
    }
    this.memoDepth = d;
    this.memoLeaf = node;
    this.memoValid = valid;
    this.memoNb = Number.NaN;
    const a = this.memoNum;
    for (let k = 0; k < a.length; k++) a[k] = num[k]!;
    const b = this.memoNom;
    for (let k = 0; k < b.length; k++) b[k] = nom[k]!;
    return node;
  }

  /** True when the memo is for exactly this row (NaN never equals: a row with a missing value walks again). */
  private memoFor(num: Float64Array, nom: Int32Array): boolean {
    if (!this.memoValid) return false;
    const a = this.memoNum;
    for (let k = 0; k < a.length; k++) if (a[k] !== num[k]) return false;
    const b = this.memoNom;
    for (let k = 0; k < b.length; k++) if (b[k] !== nom[k]) return false;
    return true;
  }

  learnOne(num: Float64Array, nom: Int32Array, y: 0 | 1, w: number): number {
    const core = this.core;
    if (this.memoFor(num, nom)) {
      this.memoValid = false;
      const depth = this.memoDepth;
      for (let d = 0; d < depth; d++) this.memoPath[d]!.weights[this.memoSlots[d]!] += w;
      return this.learnAt(this.memoLeaf!, depth > 0 ? this.memoPath[depth - 1]! : null, depth > 0 ? this.memoSlots[depth - 1]! : -1, num, nom, y, w, Number.NaN, this.memoNb);
    }
    this.memoValid = false;
    let before = Number.NaN;
    let node = this.root;
    let parent: Branch | null = null;
    let slot = -1;
    while (!node.leaf) {
      let i = core.route(node, num, nom);
      if (i < 0) {
        // A nominal code without a child gets a new leaf (River); a missing value follows the heaviest child.
        if (node.feature >= core.m && node.value < 0 && nom[node.feature - core.m]! >= 0) {
          const other = core.sort(node, num, nom);
          before = core.leafProb(other, num, nom);
          this.lastEmpty = other.stats[0]! + other.stats[1]! <= 0;
          i = nom[node.feature - core.m]!;
          node.children[i] = core.newLeaf(0, 0, node.depth + 1);
        } else i = core.heaviest(node);
      }
      node.weights[i] += w;
      parent = node;
      slot = i;
      node = node.children[i]!;
    }
    return this.learnAt(node, parent, slot, num, nom, y, w, before, Number.NaN);
  }

  /**
   * Learns at `leaf` (child `slot` of `parent`, or the root), splitting it when due; returns the
   * prediction before. `nb`: the leaf's naive Bayes for this row when already known, else NaN.
   */
  private learnAt(leaf: Leaf, parent: Branch | null, slot: number, num: Float64Array, nom: Int32Array, y: 0 | 1, w: number, before: number, nb: number): number {
    const core = this.core;
    if (Number.isNaN(before)) this.lastEmpty = leaf.stats[0]! + leaf.stats[1]! <= 0;
    const p = core.learnLeaf(leaf, num, nom, y, w, nb);
    if (core.due(leaf)) {
      const b = core.attemptSplit(leaf);
      if (b) {
        if (parent) parent.children[slot] = b;
        else this.root = b;
        // The leaf is gone from the tree and nothing else holds it (the memo is already invalid).
        if (this.memoLeaf === leaf) this.memoLeaf = null;
        core.release(leaf);
      }
    }
    return Number.isNaN(before) ? p : before;
  }

  predictOne(num: Float64Array, nom: Int32Array): number {
    return this.probAt(this.leafOf(num, nom), num, nom);
  }

  /** core.leafProb at `leaf` (the one {@link leafOf} just returned), keeping its naive Bayes value for a following learnOne. */
  probAt(leaf: Leaf, num: Float64Array, nom: Int32Array): number {
    const p = this.core.leafProb(leaf, num, nom);
    if (leaf === this.memoLeaf) this.memoNb = this.core.lastNb;
    return p;
  }

  /** Number of leaves. */
  get leaves(): number {
    return this.core.leaves(this.root);
  }

  getState(): HoeffdingTreeState {
    return { kind: 'hoeffding-tree', root: this.core.toJson(this.root) };
  }

  setState(state: unknown): void {
    const s = state as HoeffdingTreeState;
    if (!s || s.kind !== 'hoeffding-tree') throw new Error('hoeffding tree state does not match this learner');
    this.root = this.core.fromJson(s.root);
    this.memoValid = false;
  }
}
