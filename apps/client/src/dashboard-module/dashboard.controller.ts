import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Asset, DashboardFiles, NOT_BUILT_MESSAGE } from './dashboard-files';

/** The slice of the platform's response the controller needs (Express's, in this app). */
export interface AssetResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  send(body: Buffer | string): unknown;
}

/**
 * The page only talks to its own origin; no inline script or style, so the policy can be
 * strict. EventSource and fetch count as connect-src.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GET / and GET /assets/<file>: the dashboard's static files. They hold no data (the page
 * fetches everything through the API, with its token), so they need no auth.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(private readonly files: DashboardFiles) {}

  @Get()
  async index(@Res() res: AssetResponse): Promise<void> {
    const page = this.files.isBuilt() ? await this.files.index() : undefined;
    if (!page) return this.notBuilt(res);
    res.setHeader('Content-Security-Policy', PAGE_POLICY);
    this.send(res, page);
  }

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res() res: AssetResponse): Promise<void> {
    if (!this.files.isBuilt()) return this.notBuilt(res);
    const asset = await this.files.asset(file);
    if (!asset) {
      res.status(404);
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.send(`no such dashboard asset: ${file}`);
      return;
    }
    this.send(res, asset);
  }

  private send(res: AssetResponse, asset: Asset): void {
    res.status(200);
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Small files, rebuilt in place: revalidate every time (the ETag keeps it cheap).
    res.setHeader('Cache-Control', 'no-cache');
    res.send(asset.body);
  }

  private notBuilt(res: AssetResponse): void {
    res.status(503);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.send(`${NOT_BUILT_MESSAGE}\n`);
  }
}
