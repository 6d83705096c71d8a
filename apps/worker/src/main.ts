import 'reflect-metadata';
import { runWorker } from './run-worker';

/** `node dist/worker/src/main.js`: the worker app alone (what `shepherd worker` runs). */
runWorker();
