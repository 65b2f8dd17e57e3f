import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTION = `
API tokens and outgoing webhooks for the WhatsMine platform.

**Authentication.** Customer routes (\`/api/v1\`) take an API token: \`Authorization: Bearer wm_…\`
(header only, never a query string). Back-office routes (\`/admin/v1\`) take the platform's admin key.
A 401 carries \`WWW-Authenticate: Bearer realm="whatsmine"\` (with \`error="invalid_token"\` when a
credential was sent but is bad). A token lacking a scope gets 403 naming the scope.

**Errors** always have the body \`{statusCode, error, message, details?}\`. Resources of another
workspace answer 404, exactly like missing ones.

**Lists** are cursor-paginated: \`?limit=\` (default 50, max 200) and \`?cursor=\` (the previous
page's \`nextCursor\`), newest first.
`;

/** Swagger UI at /api-docs and the OpenAPI 3 document at /api-docs-json, generated from decorators. */
export function setupSwagger(app: INestApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('WhatsMine Developer Tools')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    // bearerFormat is only a hint; @nestjs/swagger's default ("JWT") would be wrong for both.
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'wm_ token', description: 'API token (wm_…)' },
      'token',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque key',
        description: 'ADMIN_API_KEY (back office only)',
      },
      'admin',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  SwaggerModule.setup('api-docs', app, document, { jsonDocumentUrl: 'api-docs-json' });
}
