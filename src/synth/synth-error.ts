/** A bad synthetic-stream name, option or parameter: the message names it. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}
