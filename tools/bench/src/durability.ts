import type pg from 'pg';

/**
 * How durable the run's servers were, read from the servers themselves, so a
 * report never quotes fast-but-unsafe figures as if they were the real thing.
 */
export interface Durability {
  postgres: { fsync: string; synchronousCommit: string; fullPageWrites: string; durable: boolean };
  /** null when the bench did not start NATS (its monitoring port is unknown). */
  nats: { version: string; storage: 'file'; syncInterval: string; syncAlways: boolean | null } | null;
}

interface JetStreamVarz {
  version: string;
  jetstream?: { config?: { sync_interval?: number | string; sync_always?: boolean } };
}

export async function readDurability(client: pg.Client, natsMonitorUrl: string | undefined): Promise<Durability> {
  const show = async (setting: string) => (await client.query<Record<string, string>>(`SHOW ${setting}`)).rows[0]![setting]!;
  const [fsync, synchronousCommit, fullPageWrites] = [await show('fsync'), await show('synchronous_commit'), await show('full_page_writes')];
  return {
    postgres: { fsync, synchronousCommit, fullPageWrites, durable: fsync === 'on' && synchronousCommit !== 'off' && fullPageWrites === 'on' },
    nats: natsMonitorUrl ? await readNats(natsMonitorUrl) : null,
  };
}

async function readNats(monitorUrl: string): Promise<NonNullable<Durability['nats']>> {
  const varz = (await (await fetch(`${monitorUrl}/varz`)).json()) as JetStreamVarz;
  const config = varz.jetstream?.config ?? {};
  return {
    version: varz.version,
    // The pipeline's streams are all file-backed (libs/jetstream provisioning).
    storage: 'file',
    // 2.9 has neither setting; 2.10+ reports its interval (default 2 min) here.
    syncInterval: config.sync_interval === undefined ? 'server default (no sync setting before 2.10)' : String(config.sync_interval),
    syncAlways: config.sync_always ?? null,
  };
}
