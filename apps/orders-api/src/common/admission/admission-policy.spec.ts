import { describe, it, expect } from '@jest/globals';
import { BACKLOG_RETRY_AFTER_MS, IN_FLIGHT_RETRY_AFTER_MS, admissionFor } from './admission-policy.js';

describe('admissionFor', () => {
  const limits = { maxInFlight: 4, maxOutboxBacklog: 100, maxPipelineLag: 1_000 };

  it('admits below both bounds', () => {
    expect(admissionFor({ inFlight: 3, outboxBacklog: 100, pipelineLag: 1_000 }, limits)).toEqual({ admit: true });
  });

  it('sheds at the in-flight bound, with a short retry', () => {
    expect(admissionFor({ inFlight: 4, outboxBacklog: 0, pipelineLag: 0 }, limits)).toMatchObject({ admit: false, reason: 'in_flight', retryAfterMs: IN_FLIGHT_RETRY_AFTER_MS });
  });

  it('sheds past the outbox backlog bound, with a longer retry, and says so', () => {
    const decision = admissionFor({ inFlight: 0, outboxBacklog: 101, pipelineLag: 0 }, limits);
    expect(decision).toMatchObject({ admit: false, reason: 'outbox_backlog', retryAfterMs: BACKLOG_RETRY_AFTER_MS });
    expect(decision.admit === false && decision.message).toContain('101 events wait to be published (limit 100)');
  });

  it('sheds past the pipeline lag bound, with the longer retry', () => {
    expect(admissionFor({ inFlight: 0, outboxBacklog: 0, pipelineLag: 1_001 }, limits)).toMatchObject({
      admit: false,
      reason: 'pipeline_lag',
      retryAfterMs: BACKLOG_RETRY_AFTER_MS,
    });
  });

  it('names the in-flight bound first when several are passed', () => {
    expect(admissionFor({ inFlight: 9, outboxBacklog: 1_000, pipelineLag: 5_000 }, limits)).toMatchObject({ reason: 'in_flight' });
  });
});
