import { describe, it, expect } from '@jest/globals';
import { UsageError } from '../../cli/src/command-line.js';
import { parseDemoArgs } from './args.js';

describe('parseDemoArgs', () => {
  it('has the documented defaults', () => {
    expect(parseDemoArgs([])).toEqual({
      orders: 12,
      duplicateEvery: 5,
      successRate: 0.9,
      seed: 'order-pipeline-demo',
      timeoutMs: 120_000,
      logDir: undefined,
      killWorker: undefined,
      paymentFailureRate: 0,
      poisonEvery: 0,
      outOfStockEvery: 8,
      console: false,
    });
  });

  it('reads every option', () => {
    expect(parseDemoArgs(['--orders', '30', '--duplicate-every', '0', '--success-rate', '0.5', '--seed', 's', '--timeout', '5'])).toMatchObject({
      orders: 30,
      duplicateEvery: 0,
      successRate: 0.5,
      seed: 's',
      timeoutMs: 5_000,
    });
    expect(parseDemoArgs(['--console'])).toMatchObject({ console: true });
  });

  it('reads the failure injection options, with = too', () => {
    expect(parseDemoArgs(['--kill-worker=payments', '--payment-failure-rate=0.3', '--poison-every=5'])).toMatchObject({
      killWorker: 'payments',
      paymentFailureRate: 0.3,
      poisonEvery: 5,
    });
    expect(parseDemoArgs(['--kill-worker', 'orders-api'])).toMatchObject({ killWorker: 'orders-api' });
    expect(parseDemoArgs(['--out-of-stock-every', '0'])).toMatchObject({ outOfStockEvery: 0 });
    expect(parseDemoArgs(['--out-of-stock-every=3'])).toMatchObject({ outOfStockEvery: 3 });
  });

  it.each([
    [['--kill-worker', 'nats']],
    [['--kill-worker']],
    [['--payment-failure-rate', '2']],
    [['--poison-every', '-1']],
    [['--out-of-stock-every', '-2']],
    [['--out-of-stock-every', 'x']],
    [['--orders', '0']],
    [['--orders', '2.5']],
    [['--duplicate-every', '-1']],
    [['--success-rate', '1.5']],
    [['--success-rate', '']],
    [['--unknown']],
  ])('refuses %j', (argv) => {
    expect(() => parseDemoArgs(argv)).toThrow(UsageError);
  });
});
