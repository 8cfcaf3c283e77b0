// onthefly — public API. This file only re-exports; the most used names come first.

// Experiments: one function per experiment, used by the CLI, the notebook and the tests.
export { runExperiment, StrictModeError } from './evaluate/run-experiment';
export { FileError } from './evaluate/file-error';
export type { ExperimentConfig, ExperimentProgress, StepSnapshot } from './evaluate/experiment-config';
export type { RunResult } from './evaluate/run-result';
export { runSweep } from './evaluate/run-sweep';
export type { SweepConfig, SweepResult, SweepRow, SweepRun } from './evaluate/run-sweep';
export { constraintGains, WRONG_CONSTRAINT } from './evaluate/constraint-gains';
export type { ConstraintGainsOptions, ConstraintGains, ConstraintGainRow } from './evaluate/constraint-gains';
export { sweepRecords } from './evaluate/sweep-table';
export { SweepPool } from './evaluate/sweep-pool';
export type { SweepPoolOptions } from './evaluate/sweep-pool';
export { meanStd } from './evaluate/mean-std';
export type { MeanStd } from './evaluate/mean-std';

// Stream: the generator, its oracle, scenarios, readers and schemas.
export { IncidentGenerator, generateEvents } from './stream/generator';
export type { GeneratorOptions, GeneratorRun } from './stream/generator';
export { eventToJson, eventsToJsonl } from './stream/event-jsonl';
export { JsonlEncoder } from './stream/jsonl-encoder';
export { SCENARIOS, SCENARIO_NAMES, isScenarioName, phaseSpecs } from './stream/scenarios';
export type { ScenarioName, Scenario, Phase } from './stream/scenarios';
export { createOracle, SMOOTHNESS } from './stream/oracle';
export { GENERATOR_SCHEMA } from './stream/default-schema';
export { openSource, recordsFromEvents, SourceError } from './stream/source';
export { loadSchema, parseSchema, SchemaError, freezeSchema, namedFields } from './stream/schema';
export { validateRow } from './stream/validate';

// Dedup.
export { DedupCenter } from './dedup/dedup-center';
export type { DedupOptions, DedupDecision, DedupStats, GroupRecord } from './dedup/dedup-center';
export { maskTemplate, MASK_TOKENS } from './dedup/template-mask';
export { dedupOptionsForSchema, parseDedupWindow, dedupKeyProblem } from './dedup/dedup-options';
export { FingerprintHasher, fingerprintHex } from './dedup/fingerprint';

// Learning and constraints.
export { createLearner, createLearnerSync, resolveLearnerOptions } from './learn/create-learner';
export { LEARNER_OPTION_RULES } from './learn/learner-option-rules';
export { OptionError } from './options/option-error';
export type { OptionRule } from './options/check-options';
export { IncrementalLearner } from './learn/incremental-learner';
export type { Learner, LearnerOptions, LearnStep } from './learn/learner';
export { RowLearner } from './learn/row-learner';
export { DriftLearner, DRIFT_MODELS, driftSeed } from './learn/drift-learner';
export type { DriftEvent, DriftReport, DriftLearnerState } from './learn/drift-learner';
export type { TreeOptions } from './learn/tree/tree-options';
export { makeConstraint } from './constraints/make-constraint';
export type { Constraint, ConstraintSpec } from './constraints/make-constraint';
export { defaultConstraints } from './constraints/default-constraints';
export { MonotoneConstraint } from './constraints/monotone';
export { BoundsConstraint } from './constraints/bounds';
export { SmoothnessConstraint } from './constraints/smoothness';
export { SlopeConstraint } from './constraints/slope';
export { parseConstraintFile, readConstraintFile, ConstraintFileError } from './constraints/constraint-file';
export { CustomConstraint } from './constraints/custom';
export { FeatureSpace } from './features/feature-space';

// Metrics, the collector and the audit log.
export * from './metrics/index';
export { PrequentialCollector } from './evaluate/collector';
export { FieldPresence } from './evaluate/field-presence';
export type { Outcome, MetricsSummary } from './evaluate/summary';
export { AuditWriter, evaluateAudit, readAudit } from './evaluate/audit';
export { readStream, formatOf } from './stream/source';
export type { AuditLine } from './evaluate/audit';

// Display: tables, figures, reports, DataFrames.
export { show } from './show/show';
export { lineFigure, barFigure } from './show/figure';
export { lambdaExplorer } from './show/lambda-explorer';
export type { LambdaExplorerOptions, ExplorerRun } from './show/lambda-explorer';
export type { Figure } from './show/figure';
export { driftMarkers } from './show/drift-markers';
export type { DriftPositions } from './show/drift-markers';
export { tableHtml } from './show/table';
export * from './report/index';
export { escapeHtml, escapePlotlyText } from './show/escape';
export { escapeTerminal, jsonForTerminal } from './show/escape-terminal';
export { figureHtml } from './show/figure-html';
export { tableMarkdown } from './show/table-markdown';
export { PLOTLY_MIME } from './show/show';
export type { LiveDisplay } from './show/show';
export type { Progress, ProgressOptions } from './show/progress';
export { params, param } from './show/notebook-params';
export type { NotebookParam, ParamsOptions, Params } from './show/notebook-params';
export type { TableOptions } from './show/table';
export { tableRows, isFrameLike, type TableData, type FrameLike } from './show/table-rows';
export type { LineFigureOptions, BarFigureOptions, AxisSpec, LineSeries, VerticalMarker } from './show/figure';
export { toFrame, frameRows, describe, valueCounts, loadDanfo, danfoAvailable } from './frame/frame';
export type { DataFrame } from './frame/frame';

// Shared types.
export type { Row, Schema, IncidentEvent, StreamRecord, Rejected } from './types';

// Drift detectors (River's shape: update(x) → 'none' | 'warning' | 'drift').
export { Adwin } from './drift/adwin';
export type { AdwinOptions, AdwinState } from './drift/adwin';
export { PageHinkley } from './drift/page-hinkley';
export type { PageHinkleyOptions, PageHinkleyState } from './drift/page-hinkley';
export { Ddm } from './drift/ddm';
export type { DdmOptions, DdmState } from './drift/ddm';
export { createDetector, isDetectorName, DETECTOR_NAMES } from './drift/create-detector';
export type { DetectorName, DetectorOptionsByName } from './drift/create-detector';
export type { DriftDetector, DriftSignal } from './drift/detector';
export { DriftDetectorError } from './drift/detector-error';

// Synthetic drift streams (River's and MOA's benchmarks, with ConceptDriftStream composition).
export { SynthStream, SYNTH_NAMES, SYNTH_DEFINITIONS, isSynthName, resolveSynth, synthSchema, synthHasOracle, driftProbability } from './synth/synth-stream';
export type { SynthName, SynthOptions, ResolvedSynth } from './synth/synth-stream';
export type { SynthConcept, SynthDefinition, SynthSample, SynthFields, ParamSpec } from './synth/concept';
export { SynthError } from './synth/synth-error';

// Online use: one event at a time, as a service, and scaled out on Redis Streams.
export { OnlinePipeline } from './evaluate/online-pipeline';
export type { OnlinePipelineOptions, Prediction, LabelOutcome, PipelineCounts, OnlinePipelineState, PipelineCore } from './evaluate/online-pipeline';
export { startService } from './service/service';
export type { ServiceOptions, Service } from './service/service';
export { runWorker } from './scale/worker';
export type { WorkerOptions, WorkerStats } from './scale/worker';
export { produce } from './scale/produce';
export type { ProduceOptions, ProduceStats } from './scale/produce';

// Models in and out: onthefly.json for every family, a TensorFlow.js LayersModel for logistic and MLP.
export * from './learn/export/index';
