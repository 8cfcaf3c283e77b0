import type { DriftDetector } from './detector';
import { DriftDetectorError } from './detector-error';
import { Adwin, type AdwinOptions } from './adwin';
import { PageHinkley, type PageHinkleyOptions } from './page-hinkley';
import { Ddm, type DdmOptions } from './ddm';

/** The detectors {@link createDetector} knows. */
export const DETECTOR_NAMES = ['adwin', 'page-hinkley', 'ddm'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** Options by detector name. */
export interface DetectorOptionsByName {
  adwin: AdwinOptions;
  'page-hinkley': PageHinkleyOptions;
  ddm: DdmOptions;
}

/** True for a name {@link createDetector} accepts. */
export function isDetectorName(name: unknown): name is DetectorName {
  return typeof name === 'string' && (DETECTOR_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh detector by name, with its options validated: an unknown name, an unknown option or a bad
 * value (a negative δ, a zero clock, …) throws a {@link DriftDetectorError} naming it.
 */
export function createDetector<N extends DetectorName>(name: N, options?: DetectorOptionsByName[N]): DriftDetector;
export function createDetector(name: string, options?: object): DriftDetector;
export function createDetector(name: string, options?: object): DriftDetector {
  switch (name) {
    case 'adwin':
      return new Adwin(options as AdwinOptions);
    case 'page-hinkley':
      return new PageHinkley(options as PageHinkleyOptions);
    case 'ddm':
      return new Ddm(options as DdmOptions);
    default:
      throw new DriftDetectorError(`unknown drift detector ${JSON.stringify(name)} (known: ${DETECTOR_NAMES.join(', ')})`);
  }
}
