import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelError } from './saved-model';

/** What a TensorFlow.js IOHandler's load() returns (tf.io.ModelArtifacts), for a LayersModel. */
export interface LayersModelArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: { name: string; shape: number[]; dtype: 'float32' }[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/**
 * A TensorFlow.js IOHandler reading a LayersModel `model.json` (a file, or a directory holding one)
 * and its weight files from disk: plain @tensorflow/tfjs has no file:// loader, so
 * `tf.loadLayersModel(modelFileHandler('model-dir'))` loads a model saved by saveModel or `onthefly
 * run --save-model`. TensorFlow.js itself is not needed to build the handler.
 */
export function modelFileHandler(path: string): { load(): Promise<LayersModelArtifacts> } {
  return {
    load: async () => {
      const file = path.endsWith('.json') ? path : join(path, 'model.json');
      let json: { modelTopology?: Record<string, unknown>; weightsManifest?: { paths: string[]; weights: LayersModelArtifacts['weightSpecs'] }[]; format?: string; generatedBy?: string; convertedBy?: string | null };
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new ModelError(`${file}: ${(err as Error).message}`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new ModelError(`${file}: not a LayersModel model.json (no modelTopology / weightsManifest)`);
      const weightSpecs: LayersModelArtifacts['weightSpecs'] = [];
      const chunks: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) {
          const bin = join(dirname(file), p);
          try {
            chunks.push(readFileSync(bin));
          } catch (err) {
            throw new ModelError(`${bin}: ${(err as Error).message}`);
          }
        }
      }
      const total = chunks.reduce((s, c) => s + c.length, 0);
      const weightData = new ArrayBuffer(total);
      const view = new Uint8Array(weightData);
      let o = 0;
      for (const c of chunks) {
        view.set(c, o);
        o += c.length;
      }
      return { modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy ?? null };
    },
  };
}
