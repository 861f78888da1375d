import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { countQueries } from '#database';
import { metricValue } from '#metrics';
import type { ProcessFigures } from './process-sampler.js';
import { round } from './stats.js';

/**
 * What one order costs: events, messages, transactions, statements, round
 * trips and CPU. The design's budget is stated in these units (1,000 orders/s
 * on 2 cores leaves 2 ms of CPU per order for everything), so the bench reads
 * them from their sources instead of estimating:
 * - transactions: PostgreSQL's pg_stat_database for the pipeline's database
 *   (commits and rollbacks);
 * - statements: pg_stat_statements (every statement, BEGIN and COMMIT
 *   included), when the server has it loaded (the embedded one the bench
 *   starts does); null otherwise;
 * - round trips: the services' own db_round_trips_total;
 * - messages consumed: the services' pipeline_events_processed_total (every
 *   settled delivery: acked, retried or terminated, duplicates included);
 * - events published: outbox rows the relays published during the run;
 * - CPU: the process sampler's figures.
 * The bench's own queries in the window (polling for final states) are
 * counted and taken out of PostgreSQL's figures.
 */
export interface CostPerOrder {
  eventsPublished: number;
  messagesConsumed: number;
  transactions: number;
  statements: number | null;
  databaseRoundTrips: number;
  cpuMicroseconds: { total: number; byProcess: Record<string, number> };
}

interface DatabaseCounters {
  transactions: number;
  statements: number | null;
}

interface ServiceCounters {
  roundTrips: number;
  deliveries: number;
}

/**
 * PostgreSQL's backends report their counters to pg_stat_database when they
 * go idle, at most PGSTAT_IDLE_INTERVAL (10 s) later; the last read waits that
 * long (plus a margin) so the run's last transactions are in it.
 */
const STATS_FLUSH_WAIT_MS = 11_000;

export class CostMeter {
  private benchQueries = 0;
  private databaseBefore?: DatabaseCounters;
  private servicesBefore?: ServiceCounters;

  constructor(
    private readonly client: pg.Client,
    private readonly serviceUrls: readonly string[],
  ) {
    countQueries(client, () => (this.benchQueries += 1));
  }

  /** Loads pg_stat_statements where the server allows it, and reads every counter. */
  async start(): Promise<void> {
    await this.client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
    this.servicesBefore = await this.readServices();
    this.databaseBefore = await this.readDatabase();
    this.benchQueries = 0;
  }

  /** The costs since start(), per order. */
  async finish(orders: number, eventsPublished: number, processes: readonly ProcessFigures[]): Promise<CostPerOrder> {
    const services = await this.readServices();
    const benchQueries = this.benchQueries;
    await sleep(STATS_FLUSH_WAIT_MS);
    const database = await this.readDatabase();
    const before = { database: this.databaseBefore!, services: this.servicesBefore! };
    const perOrder = (value: number) => round(value / orders);
    // Each of the bench's own queries (autocommit) is one transaction and one statement.
    const transactions = database.transactions - before.database.transactions - benchQueries;
    const statements =
      database.statements === null || before.database.statements === null ? null : database.statements - before.database.statements - benchQueries;
    const cpuMicroseconds = (p: ProcessFigures) => round(p.cpuSecondsPer1000 * 1_000);
    return {
      eventsPublished: perOrder(eventsPublished),
      messagesConsumed: perOrder(services.deliveries - before.services.deliveries),
      transactions: perOrder(transactions),
      statements: statements === null ? null : perOrder(statements),
      databaseRoundTrips: perOrder(services.roundTrips - before.services.roundTrips),
      cpuMicroseconds: {
        total: round(processes.reduce((sum, p) => sum + cpuMicroseconds(p), 0)),
        byProcess: Object.fromEntries(processes.map((p) => [p.name, cpuMicroseconds(p)])),
      },
    };
  }

  private async readDatabase(): Promise<DatabaseCounters> {
    const { rows } = await this.client.query<{ transactions: string }>(
      'SELECT xact_commit + xact_rollback AS transactions FROM pg_stat_database WHERE datname = current_database()',
    );
    const statements = await this.client
      .query<{ calls: string | null }>(
        'SELECT sum(calls) AS calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
      )
      .then((result) => Number(result.rows[0]?.calls ?? 0))
      // Not loaded (a server given by URL without shared_preload_libraries).
      .catch(() => null);
    return { transactions: Number(rows[0]!.transactions), statements };
  }

  private async readServices(): Promise<ServiceCounters> {
    const scrapes = await Promise.all(this.serviceUrls.map(async (url) => (await fetch(`${url}/metrics`)).text()));
    return {
      roundTrips: scrapes.reduce((sum, text) => sum + metricValue(text, 'db_round_trips_total'), 0),
      deliveries: scrapes.reduce((sum, text) => sum + metricValue(text, 'pipeline_events_processed_total'), 0),
    };
  }
}
