import type { OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { API_PREFIX, createApiDocument, OPERATIONAL_ROUTES, type PublicApi } from '#http-api';

/**
 * A service's API document without running the service, for the build. Nest's
 * preview mode lays out the modules and their routes without creating a
 * provider, so nothing connects and no configuration is read; it still wants
 * every dependency declared, and those the service's root module would give
 * (database, NATS, configuration) are stood in for by the testing module's
 * mocker, which preview mode never calls on.
 */
export async function describePublicApi(api: PublicApi): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({ imports: [...api.modules] })
    .useMocker(() => ({}))
    .compile({ preview: true });
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    app.setGlobalPrefix(API_PREFIX, { exclude: [...OPERATIONAL_ROUTES] });
    return createApiDocument(app, api.docs);
  } finally {
    await app.close();
  }
}
