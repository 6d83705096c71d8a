import { runUp } from './run-up';

/** `node dist/up/src/main.js`: the local cluster (what `shepherd up` and `npm start` run). */
void runUp();
