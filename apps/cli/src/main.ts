#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './run-cli';

/**
 * The `shepherd` command. A command that finishes exits with its code at once (a client it
 * used may still be retrying a connection in the background); servers exit on their own.
 * A failure of a command that finishes (the coordination service unreachable, a task refused)
 * is one line on stderr and exit 1.
 */
runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`shepherd: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
