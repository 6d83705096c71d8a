import 'reflect-metadata';
import { runMaster } from './run-master';

/** `node dist/master/src/main.js`: the master app alone (what `shepherd master` runs). */
runMaster();
