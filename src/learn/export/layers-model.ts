/**
 * The built-in networks as TensorFlow.js LayersModel artifacts (model.json + one float32 weights
 * file), written without loading TensorFlow.js. The fused engine's parameter layout (see
 * src/learn/network.ts: per layer W_l, in × out row-major, then b_l) is exactly Keras's Dense
 * layout (kernel [in, out] row-major, then bias [out]), so each layer's kernel and bias are
 * consecutive slices of the parameter vector. Hidden layers are tanh, the output layer sigmoid:
 * the model maps an encoded row (FeatureSpace.encodeMany) to P(critical = 1).
 */

/** The network of a learner: input width, hidden sizes, flat parameters in the layout of Network. */
export interface DenseNetwork {
  dim: number;
  hidden: readonly number[];
  params: ArrayLike<number>;
}

/** One weight of a weights manifest (tf.io.WeightsManifestEntry). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The `model.json` of a LayersModel (as written by tf.LayersModel.save). */
export interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

/** Options of {@link layersModelArtifacts}. */
export interface LayersModelOptions {
  /** Name of the weights file, relative to model.json. Default "weights.bin". */
  weightsPath?: string;
  /** `generatedBy` of model.json. Default "onthefly". */
  generatedBy?: string;
}

function dense(name: string, units: number, activation: string, inputDim: number | null): Record<string, unknown> {
  const config: Record<string, unknown> = {
    units,
    activation,
    use_bias: true,
    kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    name,
    trainable: true,
  };
  if (inputDim !== null) {
    config.batch_input_shape = [null, inputDim];
    config.dtype = 'float32';
  }
  return { class_name: 'Dense', config };
}

/**
 * model.json and the weights (float32, little-endian, in manifest order) of the network: a
 * tf.sequential of Dense layers [dim → hidden… (tanh) → 1 (sigmoid)], names dense_1, dense_2, ….
 */
export function layersModelArtifacts(net: DenseNetwork, options: LayersModelOptions = {}): { modelJson: LayersModelJson; weights: Uint8Array } {
  const sizes = [net.dim, ...net.hidden, 1];
  const expected = sizes.slice(1).reduce((sum, out, l) => sum + sizes[l]! * out + out, 0);
  if (!Number.isInteger(net.dim) || net.dim < 1) throw new Error(`layersModelArtifacts: input width must be a positive integer, got ${net.dim}`);
  if (net.params.length !== expected) {
    throw new Error(`layersModelArtifacts: ${net.params.length} parameters, but layers ${sizes.join(' → ')} need ${expected}`);
  }
  const layers: Record<string, unknown>[] = [];
  const specs: WeightSpec[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const name = `dense_${l + 1}`;
    const last = l + 2 === sizes.length;
    layers.push(dense(name, sizes[l + 1]!, last ? 'sigmoid' : 'tanh', l === 0 ? net.dim : null));
    specs.push({ name: `${name}/kernel`, shape: [sizes[l]!, sizes[l + 1]!], dtype: 'float32' });
    specs.push({ name: `${name}/bias`, shape: [sizes[l + 1]!], dtype: 'float32' });
  }
  // Kernel then bias per layer is the parameter vector's own order; tfjs weights are little-endian float32.
  const weights = new Uint8Array(expected * 4);
  const view = new DataView(weights.buffer);
  for (let k = 0; k < expected; k++) {
    const v = net.params[k]!;
    if (!Number.isFinite(v)) throw new Error(`layersModelArtifacts: parameter ${k} is not finite (${v})`);
    view.setFloat32(k * 4, v, true);
  }
  return { modelJson: json(), weights };

  function json(): LayersModelJson {
    return {
      format: 'layers-model',
      generatedBy: options.generatedBy ?? 'onthefly',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'onthefly', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [options.weightsPath ?? 'weights.bin'], weights: specs }],
    };
  }
}
