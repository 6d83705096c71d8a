import 'reflect-metadata';
import { runClient } from './run-client';

/** `node dist/client/src/main.js`: the client app alone (what `shepherd client` runs). */
runClient();
