import type { VerticalMarker } from './figure';

/** What {@link driftMarkers} reads: a run's `drift` report (RunResult.drift), or null. */
export interface DriftPositions {
  detections: readonly number[];
  warnings: readonly number[];
}

/**
 * Vertical markers for a run's drift detections (solid, labelled "drift") and warnings (dotted,
 * unlabelled), at the events' positions, for {@link lineFigure}'s `markers` over an "events seen"
 * axis: `lineFigure({ …, markers: driftMarkers(result.drift) })`. A warning at the same event as a
 * drift is drawn once, as the drift. Null (a run without a detector) gives none.
 */
export function driftMarkers(drift: DriftPositions | null | undefined): VerticalMarker[] {
  if (!drift) return [];
  const drifts = new Set(drift.detections);
  return [
    ...drift.warnings.filter((x) => !drifts.has(x)).map((x): VerticalMarker => ({ x, label: '', dash: 'dot', color: '#e67e22' })),
    ...drift.detections.map((x): VerticalMarker => ({ x, label: 'drift', dash: 'solid', color: '#c0392b' })),
  ];
}
