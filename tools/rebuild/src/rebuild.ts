import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import type { ReadModel, RebuildResult } from './read-model.js';
import type { ReplayProgress } from './stream-replay.js';
import { analyticsReadModel } from './analytics-read-model.js';
import { orderStateReadModel } from './order-state-read-model.js';
import { timelineReadModel } from './timeline-read-model.js';

/** Every read model `npm run rebuild` knows, by name. */
export const READ_MODELS: Readonly<Record<string, ReadModel>> = Object.fromEntries(
  [timelineReadModel, analyticsReadModel, orderStateReadModel].map((model) => [model.name, model]),
);

export interface RebuildOptions {
  databaseUrl: string;
  natsUrl: string;
  /** A NATS user allowed ephemeral consumers on the streams (the admin); none for a server without users. */
  natsUser?: string;
  natsPassword?: string;
  /** Swap the rebuilt copy in for the live read model. */
  replace?: boolean;
  onProgress?: (progress: ReplayProgress) => void;
}

/** Rebuilds one read model from the streams into a fresh copy and compares it with the live one. */
export async function rebuildReadModel(name: string, options: RebuildOptions): Promise<RebuildResult> {
  const model = READ_MODELS[name];
  if (!model) throw new Error(`no read model "${name}": one of ${Object.keys(READ_MODELS).join(', ')}`);
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  const nats = await connect({
    servers: options.natsUrl.split(','),
    name: `rebuild-${name}`,
    ...(options.natsUser ? { user: options.natsUser, pass: options.natsPassword } : {}),
  });
  try {
    return await model.rebuild({ db, nats, onProgress: options.onProgress ?? (() => {}) }, { replace: options.replace ?? false });
  } finally {
    await nats.close().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}
