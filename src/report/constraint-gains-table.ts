import type { ConstraintGainRow } from '../evaluate/constraint-gains';
import { formatMeanStd } from './studies';

const signed = (v: number): string => (Number.isFinite(v) ? (v >= 0 ? `+${v.toFixed(3)}` : `−${Math.abs(v).toFixed(3)}`) : '∞');

/** The rows of constraintGains as report table rows (text cells). */
export function constraintGainsTable(rows: readonly ConstraintGainRow[]): Record<string, string>[] {
  return rows.map((r) => ({
    scenario: r.scenario,
    setting: r.setting,
    F1: formatMeanStd(r.f1),
    'Δ F1 vs λ = 0 [95 % CI]': r.setting === 'λ = 0' ? '—' : `${signed(r.delta.mean)} [${Number.isFinite(r.delta.lo) ? signed(r.delta.lo) : '−∞'}, ${signed(r.delta.hi)}]`,
    'violation rate after burn-in': r.violationRateAfterBurnIn ? formatMeanStd(r.violationRateAfterBurnIn, 4) : '—',
    'auto multipliers': r.lambda ? Object.entries(r.lambda).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || 'all 0' : '',
  }));
}
