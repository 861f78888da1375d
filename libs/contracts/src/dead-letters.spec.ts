import { describe, it, expect } from '@jest/globals';
import {
  AdvisorySubjects,
  DeadLetterConsumers,
  DeadLetterStreams,
  Streams,
  deadLetterMsgId,
  deadLetterSubject,
  replayMsgId,
  subjectMatches,
} from './index.js';


describe('dead-letter contracts', () => {
  it('captures both consumer advisories of every stream and consumer', () => {
    const captured = DeadLetterStreams.DLQ_ADVISORIES.subjects;
    for (const prefix of Object.values(AdvisorySubjects)) {
      expect(captured.some((s) => subjectMatches(s, `${prefix}.ORDERS.payments--orders-created`))).toBe(true);
    }
  });

  it('gives every dead letter a subject in DEAD_LETTERS and keeps the streams apart from the event streams', () => {
    const subject = deadLetterSubject('ORDERS', 'payments--orders-created');
    expect(subject).toBe('deadletters.ORDERS.payments--orders-created');
    expect(DeadLetterStreams.DEAD_LETTERS.subjects.some((s) => subjectMatches(s, subject))).toBe(true);
    const eventSubjects = Object.values(Streams).flatMap((s) => s.subjects);
    for (const stream of Object.values(DeadLetterStreams)) {
      expect(Object.keys(Streams)).not.toContain(stream.name);
      for (const s of stream.subjects) expect(eventSubjects.some((e) => subjectMatches(e, s) || subjectMatches(s, e))).toBe(false);
    }
  });

  it('reads every advisory with one consumer filtered inside its stream', () => {
    const consumer = DeadLetterConsumers.advisories;
    expect(consumer.durable).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const prefix of Object.values(AdvisorySubjects)) {
      expect(subjectMatches(consumer.filterSubject, `${prefix}.S.c`)).toBe(true);
    }
    expect(DeadLetterStreams[consumer.stream]).toBeDefined();
  });

  it('names dead-letter copies and replays so the server deduplicates retries, not replays', () => {
    expect(deadLetterMsgId('ORDERS', 7, 'payments--orders-created')).toBe('dlq:ORDERS:7:payments--orders-created');
    expect(replayMsgId('0193', 1)).not.toBe(replayMsgId('0193', 2));
  });
});
