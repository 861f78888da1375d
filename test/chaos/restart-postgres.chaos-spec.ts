import { describe, beforeAll, afterAll } from '@jest/globals';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * PostgreSQL stops (a fast shutdown: every session is terminated) half-way
 * through and starts again on the same port and data directory. Transactions
 * in flight roll back; handlers fail and are retried; the API answers 5xx
 * and its clients retry with the same Idempotency-Key; the relays publish
 * whatever was committed but not yet marked. The embedded server runs with
 * fsync=off, which a clean stop and start does not mind (the shutdown
 * checkpoint hands everything to the operating system); only a crash of the
 * machine would. Needs the embedded server: one given by DATABASE_URL is not
 * ours to restart.
 *
 * The embedded server stops and starts again in well under a second. A longer
 * outage (a real server's restart, a fail-over) can be tried with
 * CHAOS_POSTGRES_DOWNTIME_MS, e.g. 2000.
 */
const DOWNTIME_MS = Number(process.env['CHAOS_POSTGRES_DOWNTIME_MS'] ?? 0);
// Only a PostgreSQL these tests started is theirs to stop: skipped against DATABASE_URL.
const describeOwnPostgres = process.env['DATABASE_URL'] ? describe.skip : describe;
describeOwnPostgres('chaos: restart PostgreSQL mid-run', () => {
  const scenario = new ChaosScenario({
    name: 'restart-postgres',
    title: 'restart PostgreSQL (same port and data directory) mid-run; shared transactions',
    // Shared transactions broken by the restart fall back to one transaction
    // per event; nothing may be lost or applied twice there either. One group
    // commit in flight per service and a small pool, so that units wait and share.
    commonEnv: { GROUP_COMMIT_MAX_TRANSACTIONS: '1', DATABASE_POOL_SIZE: '4' },
  });

  beforeAll(async () => {
    await scenario.run(
      async ({ pipeline, load, orders, note }) => {
        await load.whenAccepted(orders / 2);
        const at = load.accepted.length;
        const startedAt = Date.now();
        await pipeline.postgres.restart({ downtimeMs: DOWNTIME_MS });
        note(`PostgreSQL restarted after ${at} orders, accepting connections again after ${((Date.now() - startedAt) / 1_000).toFixed(1)} s`);
      },
      { deadLetters: () => [] },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);
});
