import type { INestApplication, INestMicroservice, NestApplicationOptions, Type } from '@nestjs/common';
import type { CustomStrategy } from '@nestjs/microservices';
import { Test, type TestingModule } from '@nestjs/testing';

/** Nest's own options for a microservice (logger and the like), plus the transport strategy. */
type MicroserviceOptions = Parameters<TestingModule['createNestMicroservice']>[0] & CustomStrategy;

/**
 * Nest's testing module around a root module: the same module graph the
 * service runs in production (no provider is replaced), compiled the way
 * @nestjs/testing does it, so a test can override a provider when it needs to.
 */
async function compile(rootModule: Type) {
  return Test.createTestingModule({ imports: [rootModule] }).compile();
}

/** An HTTP application (not listening: tests use supertest on it). */
export async function createTestApp(rootModule: Type, options?: NestApplicationOptions): Promise<INestApplication> {
  return (await compile(rootModule)).createNestApplication(options);
}

/** A microservice on the given transport strategy (JetStreamServer in these tests). */
export async function createTestMicroservice(
  rootModule: Type,
  options: MicroserviceOptions,
): Promise<INestMicroservice> {
  return (await compile(rootModule)).createNestMicroservice(options);
}
