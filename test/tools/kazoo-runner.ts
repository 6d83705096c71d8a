import { execFile } from 'child_process';

/**
 * Debian's python3 with its python3-kazoo package (what CI installs). The system interpreter by
 * its full path: a python3 earlier on PATH (pyenv, a venv) would not see Debian's packages.
 */
const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Runs a kazoo script (`python3 script ...args`) and resolves with its stdout. Rejects with
 * what it printed when it fails, or with how to install kazoo when it is missing, never
 * skipping: the interop suite must not pass without having run.
 */
export function runKazoo(script: string, args: string[], timeoutMs = 60000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(SYSTEM_PYTHON, [script, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const missing =
        /No module named 'kazoo'/.test(stderr) || (err as { code?: unknown }).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? `kazoo is not installed: apt-get install python3-kazoo (${SYSTEM_PYTHON})`
            : `${script} failed: ${err.message}\n${stdout}\n${stderr}`,
        ),
      );
    });
  });
}
