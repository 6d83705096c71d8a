/** REST fuzzing is a jest suite, not a benchmark: the page says where it is and how to run it. */
import type { Section } from '../types';

const COMMAND = 'npm test -- test/fuzz';

export function restFuzzSection(): Section {
  return {
    title: 'REST API fuzzing',
    markdown:
      'Property-based requests (fast-check) on every route the client app serves: random ' +
      'methods, paths, ids, queries, headers and bodies. Whatever comes in, the answer is never ' +
      'a 5xx, and the queue grows only by the tasks a 202 announces. It lives in `test/fuzz` and ' +
      `runs with \`npm test\`; alone: \`${COMMAND}\` (\`FUZZ_SEED=<n>\` replays a run, ` +
      '`FUZZ_RUNS=<scale>` widens it). Its result is the test run, not a JSON file, so this page ' +
      'records no figure for it.',
    targets: [
      {
        area: 'REST fuzz',
        target: 'no 5xx, no task from an invalid request, on every route',
        measured: 'pass or fail of the jest suite (not recorded here)',
        status: 'run the suite',
        command: COMMAND,
      },
    ],
    sources: [],
  };
}
