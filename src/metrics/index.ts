export { ConfusionMatrix, precisionOf, recallOf, f1Of, accuracyOf, kappaOf } from './confusion-matrix';
export { type Metric, ConfusionMetric } from './metric';
export { Precision } from './precision';
export { Recall } from './recall';
export { F1 } from './f1';
export { Accuracy } from './accuracy';
export { CohenKappa } from './cohen-kappa';
export { Rolling } from './rolling';
