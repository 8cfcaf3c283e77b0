// Models in and out (docs/design.md §11). Re-exports only.
export { saveModel } from './save-model';
export type { SaveModelResult } from './save-model';
export { loadModel, readSavedModel } from './load-model';
export type { LoadModelOptions, LoadedModel } from './load-model';
export { ModelError, schemaMismatch } from './saved-model';
export type { SavedModel } from './saved-model';
export { layersModelArtifacts } from './layers-model';
export type { DenseNetwork, LayersModelJson, LayersModelOptions, WeightSpec } from './layers-model';
export { modelFileHandler } from './model-file-handler';
export type { LayersModelArtifacts } from './model-file-handler';
