/** Options of the Hoeffding tree family (models "hoeffding-tree", "hat", "arf"); each has a documented default. */
export interface TreeOptions {
  /** Weight a leaf must see between split attempts. Default 200 (hoeffding-tree, hat), 50 (arf: River's ARF). */
  gracePeriod?: number;
  /** δ of the Hoeffding bound: 1 − the confidence that the chosen split is the best. Default 1e-7 (hoeffding-tree, hat), 0.01 (arf). */
  delta?: number;
  /** Tie threshold τ: split anyway once the Hoeffding bound is below it. Default 0.05. */
  tau?: number;
  /** Candidate thresholds per numeric feature (equally spaced between its min and max at the leaf). Default 10. */
  splitPoints?: number;
  /** Nominal (categorical, hashed) splits: one branch per value, or one value against the rest. Default "multiway". */
  nominalSplit?: 'multiway' | 'binary';
  /** Leaf prediction: "mc" (class frequencies), "nb" (naive Bayes), "nba" (whichever has been more accurate at the leaf). Default "nba". */
  leafPrediction?: 'mc' | 'nb' | 'nba';
  /** hat: δ of the ADWIN error monitor at each node. Default 0.002. */
  adwinDelta?: number;
  /** hat: the nodes' error windows must both exceed this many events before an alternate subtree is judged. Default 300. */
  switchWindow?: number;
  /** hat: Poisson(1) weights on the examples at the leaves (River's bootstrap_sampling). Default true. */
  bootstrap?: boolean;
  /** arf: number of trees. Default 10. */
  trees?: number;
  /** arf: λ of the Poisson(λ) online-bagging weights. Default 6. */
  poissonLambda?: number;
  /** arf: features drawn per leaf: "sqrt" (round(√m), m = numeric + nominal fields), "all" or a count. Default "sqrt". */
  maxFeatures?: 'sqrt' | 'all' | number;
  /** arf: δ of each tree's ADWIN warning detector (a warning starts a background tree). Default 0.01. */
  warningDelta?: number;
  /** arf: δ of each tree's ADWIN drift detector (a drift swaps in the background tree). Default 0.001. */
  driftDelta?: number;
  /** arf: weight each tree's vote by its accuracy since it was created. Default true. */
  weightedVote?: boolean;
}

/** {@link TreeOptions} after defaults. */
export type ResolvedTreeOptions = Required<TreeOptions>;

/** Fills in the defaults of {@link TreeOptions} for `model` and checks every value (errors name the option). */
export function resolveTreeOptions(model: string, options: TreeOptions = {}): ResolvedTreeOptions {
  const arf = model === 'arf';
  const o: ResolvedTreeOptions = {
    gracePeriod: options.gracePeriod ?? (arf ? 50 : 200),
    delta: options.delta ?? (arf ? 0.01 : 1e-7),
    tau: options.tau ?? 0.05,
    splitPoints: options.splitPoints ?? 10,
    nominalSplit: options.nominalSplit ?? 'multiway',
    leafPrediction: options.leafPrediction ?? 'nba',
    adwinDelta: options.adwinDelta ?? 0.002,
    switchWindow: options.switchWindow ?? 300,
    bootstrap: options.bootstrap ?? true,
    trees: options.trees ?? 10,
    poissonLambda: options.poissonLambda ?? 6,
    maxFeatures: options.maxFeatures ?? 'sqrt',
    warningDelta: options.warningDelta ?? 0.01,
    driftDelta: options.driftDelta ?? 0.001,
    weightedVote: options.weightedVote ?? true,
  };
  const fail = (name: string, what: string): never => { throw new Error(`createLearner: tree.${name} must be ${what}`); };
  const posInt = (name: keyof TreeOptions, v: number): void => { if (!Number.isInteger(v) || v < 1) fail(name, `a positive integer, not ${String(v)}`); };
  const open01 = (name: keyof TreeOptions, v: number): void => { if (typeof v !== 'number' || !(v > 0 && v < 1)) fail(name, `in (0, 1), not ${String(v)}`); };
  posInt('gracePeriod', o.gracePeriod);
  posInt('splitPoints', o.splitPoints);
  posInt('trees', o.trees);
  posInt('switchWindow', o.switchWindow);
  open01('delta', o.delta);
  open01('adwinDelta', o.adwinDelta);
  open01('warningDelta', o.warningDelta);
  open01('driftDelta', o.driftDelta);
  if (typeof o.tau !== 'number' || !(o.tau >= 0)) fail('tau', `a number ≥ 0, not ${String(o.tau)}`);
  if (typeof o.poissonLambda !== 'number' || !(o.poissonLambda > 0 && Number.isFinite(o.poissonLambda))) fail('poissonLambda', `a positive number, not ${String(o.poissonLambda)}`);
  if (o.nominalSplit !== 'multiway' && o.nominalSplit !== 'binary') fail('nominalSplit', `"multiway" or "binary", not ${JSON.stringify(o.nominalSplit)}`);
  if (o.leafPrediction !== 'mc' && o.leafPrediction !== 'nb' && o.leafPrediction !== 'nba') fail('leafPrediction', `"mc", "nb" or "nba", not ${JSON.stringify(o.leafPrediction)}`);
  if (o.maxFeatures !== 'sqrt' && o.maxFeatures !== 'all' && !(Number.isInteger(o.maxFeatures) && (o.maxFeatures as number) >= 1)) {
    fail('maxFeatures', `"sqrt", "all" or a positive integer, not ${JSON.stringify(o.maxFeatures)}`);
  }
  if (typeof o.bootstrap !== 'boolean') fail('bootstrap', 'true or false');
  if (typeof o.weightedVote !== 'boolean') fail('weightedVote', 'true or false');
  return o;
}
