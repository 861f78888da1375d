import type { NatsConnection } from '@nats-io/transport-node';
import type pg from 'pg';
import type { ReplayProgress } from './stream-replay.js';

/** What a rebuild needs: the database of the read model, the NATS server with its streams, and where to report. */
export interface RebuildContext {
  db: pg.Client;
  nats: NatsConnection;
  onProgress: (progress: ReplayProgress) => void;
}

export interface RebuildResult {
  /** Rows in the rebuilt copy. */
  rebuilt: number;
  /** Rows in the live read model. */
  live: number;
  /** Rows in only one of the two (none: the copy equals the live one). */
  onlyRebuilt: number;
  onlyLive: number;
  /** Events read from the streams. */
  eventsRead: number;
  /** Whether the copy replaced the live read model (--replace). */
  replaced: boolean;
}

/** A read model that can be rebuilt from the streams into a fresh copy, compared with the live one and, on request, swapped in. */
export interface ReadModel {
  name: string;
  description: string;
  /** What the progress bar and the summary count as read (default `messages`) and as the copy's entries (default `rows`). */
  reads?: string;
  holds?: string;
  rebuild(context: RebuildContext, options: { replace: boolean }): Promise<RebuildResult>;
}
