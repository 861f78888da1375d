import { describe, it, expect } from '@jest/globals';
import { UsageError } from '../../cli/src/command-line.js';
import { DEFAULTS, MAX_ORDERS_PER_RUN, QUICK, TRANSPORT_DEFAULT_COUNT, parseBenchArgs, type BenchArgs } from './args.js';

const parse = (...argv: string[]) => parseBenchArgs(argv) as BenchArgs;

describe('parseBenchArgs', () => {
  it('defaults to a closed-loop pipeline run with baselines, on durable settings', () => {
    expect(parse()).toMatchObject({ mode: 'pipeline', concurrency: DEFAULTS.concurrency, rate: undefined, baselines: true, unsafeFast: false });
    expect(parse('--unsafe-fast').unsafeFast).toBe(true);
  });

  it('runs the pipeline for a time by default, and for a count when one is given', () => {
    expect(parse()).toMatchObject({ durationSeconds: DEFAULTS.durationSeconds, count: MAX_ORDERS_PER_RUN });
    expect(parse('--duration', '60')).toMatchObject({ durationSeconds: 60 });
    expect(parse('--orders', '500')).toMatchObject({ durationSeconds: undefined, count: 500 });
    expect(parse('--quick')).toMatchObject({ durationSeconds: undefined, count: QUICK.count });
    expect(() => parse('--orders', '500', '--duration', '10')).toThrow(UsageError);
  });

  it('sizes counts per mode and for --quick', () => {
    expect(parse('--mode', 'transport').count).toBe(TRANSPORT_DEFAULT_COUNT);
    expect(parse('--quick')).toMatchObject({ count: QUICK.count, rounds: 1, pgSeconds: QUICK.pgSeconds });
    expect(parse('--quick', '--orders', '30').count).toBe(30);
  });

  it('reads an offered rate and repeated service variables', () => {
    const args = parse('--rate', '500', '--service-env', 'DATABASE_POOL_SIZE=20', '--service-env', 'CONSUMER_CONCURRENCY=8');
    expect(args.rate).toBe(500);
    expect(args.serviceEnv).toEqual({ DATABASE_POOL_SIZE: '20', CONSUMER_CONCURRENCY: '8' });
  });

  it('refuses what it cannot run', () => {
    expect(() => parse('--mode', 'fast')).toThrow(UsageError);
    expect(() => parse('--orders', '0')).toThrow(UsageError);
    expect(() => parse('--rate', '-1')).toThrow(UsageError);
    expect(() => parse('--service-env', 'no-equals')).toThrow(UsageError);
    // Running services are given by all three URLs or none.
    expect(() => parse('--api-url', 'http://127.0.0.1:3000')).toThrow(UsageError);
  });

  it('answers help', () => {
    expect(parseBenchArgs(['-h'])).toBe('help');
  });
});
