import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { DashboardModule } from './dashboard.module';
import { DashboardFiles, NOT_BUILT_MESSAGE, findPackageRoot } from './dashboard-files';

async function appServing(dir: string | undefined): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [DashboardModule] })
    .overrideProvider(DashboardFiles)
    .useValue(new DashboardFiles(dir))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('DashboardModule', () => {
  let dir: string;
  let app: INestApplication;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shepherd-dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Shepherd</title>');
    writeFileSync(join(dir, 'main.js'), 'export {};\n');
    writeFileSync(join(dir, 'styles.css'), 'body {}\n');
    writeFileSync(join(dir, 'notes.txt'), 'not an asset type');
    app = await appServing(dir);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at GET / with a strict content security policy', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('<title>Shepherd</title>');
  });

  it('serves modules and styles under /assets with the types browsers require', async () => {
    const js = await request(app.getHttpServer()).get('/assets/main.js').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await request(app.getHttpServer()).get('/assets/styles.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for anything that is not a file of the page', async () => {
    const server = app.getHttpServer();
    await request(server).get('/assets/missing.js').expect(404);
    await request(server).get('/assets/notes.txt').expect(404);
    await request(server).get('/assets/..%2F..%2Fpackage.json').expect(404);
    await request(server).get('/assets/.hidden.js').expect(404);
  });

  it('answers 503 with how to build it when the dashboard is not built', async () => {
    const bare = await appServing(join(dir, 'nowhere'));
    try {
      const res = await request(bare.getHttpServer()).get('/').expect(503);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text.trim()).toBe(NOT_BUILT_MESSAGE);
      await request(bare.getHttpServer()).get('/assets/main.js').expect(503);
    } finally {
      await bare.close();
    }
  });

  it('finds the package root (@shepherd/cli) by walking up to package.json', () => {
    const root = findPackageRoot(__dirname);
    expect(root).toBeDefined();
    const pkg = JSON.parse(readFileSync(join(root as string, 'package.json'), 'utf8')) as {
      name: string;
    };
    expect(pkg.name).toBe('@shepherd/cli');
  });
});
