// `npm run build:dashboard`, after tsc: puts the page and its stylesheet beside the compiled
// modules, so apps/dist/dashboard (the @shepherd/cli package's dist/dashboard) holds everything the client app serves.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
cpSync(join(here, 'static'), join(here, '../../dist/dashboard'), { recursive: true });
