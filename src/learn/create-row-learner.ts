import type { BuiltinConstraint } from '../constraints/constraint';
import type { Constraint } from '../constraints/make-constraint';
import { AdaptiveRandomForest } from './arf';
import { HoeffdingAdaptiveTree } from './hat';
import { HoeffdingTree } from './hoeffding-tree';
import type { ResolvedOptions } from './incremental-learner';
import { NaiveBayes } from './naive-bayes';
import { Rng } from './rng';
import { RowLearner, type RowModel } from './row-learner';
import { featureSubset, TreeCore, type CoreParams } from './tree/hoeffding-core';
import { RowCoder } from './tree/row-coder';
import type { ResolvedTreeOptions } from './tree/tree-options';

/** The models that read raw rows (see {@link RowLearner}). */
export const ROW_MODELS = ['naive-bayes', 'hoeffding-tree', 'hat', 'arf'] as const;

/** True for a model that {@link createRowLearner} builds. */
export function isRowModel(model: string): boolean {
  return (ROW_MODELS as readonly string[]).includes(model);
}

/** The tree core's parameters from resolved tree options (`subset` features per leaf, 0 = all). */
export function coreParams(t: ResolvedTreeOptions, subset = 0): CoreParams {
  return { gracePeriod: t.gracePeriod, delta: t.delta, tau: t.tau, splitPoints: t.splitPoints, nominalSplit: t.nominalSplit, leafPrediction: t.leafPrediction, subset };
}

/** Builds a naive Bayes or tree learner (options already resolved; constraints measured only). */
export function createRowLearner(o: ResolvedOptions, constraints: Constraint[]): RowLearner {
  if (constraints.some((c) => c.kind === 'custom')) throw new Error(`createLearner: custom constraints need model "logistic" or "mlp", not "${o.model}"`);
  const coder = new RowCoder(o.schema, { categoricalCapacity: o.categoricalCapacity, hashBuckets: o.hashBuckets });
  // resolveLearnerOptions resolved the tree options (ResolvedOptions types them shallowly).
  const tree = o.tree as ResolvedTreeOptions;
  let model: RowModel;
  let backend: string;
  switch (o.model) {
    case 'naive-bayes':
      model = new NaiveBayes(coder);
      backend = 'bayes';
      break;
    case 'hoeffding-tree':
      model = new HoeffdingTree(new TreeCore(coder, coreParams(tree), null));
      backend = 'tree';
      break;
    case 'hat':
      model = new HoeffdingAdaptiveTree(new TreeCore(coder, coreParams(tree), null), tree, o.seed);
      backend = 'tree';
      break;
    case 'arf': {
      const rng = new Rng(`${String(o.seed)}:arf`);
      const core = new TreeCore(coder, coreParams(tree, featureSubset(tree.maxFeatures, coder.m + coder.q)), rng);
      model = new AdaptiveRandomForest(core, tree, rng);
      backend = 'forest';
      break;
    }
    default:
      throw new Error(`createLearner: unknown model "${o.model}"`);
  }
  return new RowLearner(o, constraints as BuiltinConstraint[], coder, model, backend);
}
