import { runCoordinatorMain } from './coordinator-main';

/** `node dist/coordinator/src/main.js`: the coordinator alone (what `shepherd coordinator` runs). */
void runCoordinatorMain(process.argv.slice(2));
