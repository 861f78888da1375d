import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectToNats, type NatsConnectionOptions } from './connection.js';
import { provisionStreams, type ProvisionedStream } from './provisioning.js';
import { JetStreamPublisher } from './publisher.js';

/** Injection token of the service's NATS connection (publishing, KV, admin). */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

export interface JetStreamModuleOptions extends NatsConnectionOptions {
  maxPublishesInFlight?: number;
  /** The streams to provision at start; default every stream of the contracts. */
  streams?: readonly ProvisionedStream[];
  /** Their max age (ms; 0 for ever); default JetStreamDefaults.streamMaxAgeMs. */
  streamMaxAgeMs?: number;
}

interface AsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: Array<string | symbol | Function>;
  useFactory: (...args: any[]) => JetStreamModuleOptions | Promise<JetStreamModuleOptions>;
}

const OPTIONS = Symbol('JETSTREAM_MODULE_OPTIONS');

/**
 * The producing side of the transport: one NATS connection per service, the
 * streams provisioned from the contracts, and a bounded publisher. The
 * consuming side is `JetStreamServer`, started with `connectMicroservice`.
 */
@Global()
@Module({})
export class JetStreamModule implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  static forRootAsync(options: AsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
      {
        provide: NATS_CONNECTION,
        inject: [OPTIONS],
        useFactory: async (opts: JetStreamModuleOptions) => {
          const connection = await connectToNats(opts);
          await provisionStreams(await jetstreamManager(connection), { maxAgeMs: opts.streamMaxAgeMs }, opts.streams);
          return connection;
        },
      },
      {
        provide: JetStreamPublisher,
        inject: [NATS_CONNECTION, OPTIONS],
        useFactory: (connection: NatsConnection, opts: JetStreamModuleOptions) =>
          new JetStreamPublisher(jetstream(connection), opts.maxPublishesInFlight),
      },
    ];
    return {
      module: JetStreamModule,
      imports: options.imports ?? [],
      providers,
      exports: [NATS_CONNECTION, JetStreamPublisher],
    };
  }

  /** Runs after every module's destroy hook, so the relay has stopped publishing. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
