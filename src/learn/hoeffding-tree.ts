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

  constructor(readonly core: TreeCore) {
    this.root = core.newLeaf(0, 0, 0);
  }

  learnOne(num: Float64Array, nom: Int32Array, y: 0 | 1, w: number): number {
    const core = this.core;
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
    const leaf: Leaf = node;
    if (Number.isNaN(before)) this.lastEmpty = leaf.stats[0]! + leaf.stats[1]! <= 0;
    const p = core.learnLeaf(leaf, num, nom, y, w);
    if (core.due(leaf)) {
      const b = core.attemptSplit(leaf);
      if (b) {
        if (parent) parent.children[slot] = b;
        else this.root = b;
      }
    }
    return Number.isNaN(before) ? p : before;
  }

  predictOne(num: Float64Array, nom: Int32Array): number {
    return this.core.leafProb(this.core.sort(this.root, num, nom), num, nom);
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
  }
}
