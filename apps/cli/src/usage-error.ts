/** Exit code for a bad command line or configuration, as every Shepherd app uses it. */
export const EXIT_USAGE = 2;

/** A command line the shepherd command cannot run: said in one line, exit 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
