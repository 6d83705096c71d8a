import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/**
 * The OpenAPI document at /docs-json and Swagger UI at /docs. The UI's files come from the
 * swagger-ui-dist package on disk (no CDN: the app must work offline). Neither needs the API
 * token: they describe the API and hold no data; the UI's Authorize button takes the token for
 * the calls it makes.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Shepherd')
    .setDescription(
      'A master-worker task queue coordinated through ZooKeeper: submit tasks, follow them, ' +
        'watch workers and masters. Timestamps are ISO-8601. With API_TOKEN set, every endpoint ' +
        'but /health wants "Authorization: Bearer <API_TOKEN>".',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    customSiteTitle: 'Shepherd API',
    raw: ['json'],
  });
}
