/** Bad detector name, option or state: the message names the detector and the option. */
export class DriftDetectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriftDetectorError';
  }
}
