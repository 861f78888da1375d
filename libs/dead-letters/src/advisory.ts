import { z } from 'zod';
import { AdvisorySubjects } from '#contracts';

/** Which of the two consumer advisories the server sent. */
export type AdvisoryKind = 'max_deliveries' | 'terminated';

/**
 * What a consumer advisory says about the message a consumer gave up on. The
 * server's JSON has more (ids, timestamps, domain); only what a dead letter
 * needs is kept.
 */
export interface ConsumerAdvisory {
  kind: AdvisoryKind;
  stream: string;
  consumer: string;
  /** The original message's sequence in `stream`. */
  streamSeq: number;
  /** Deliveries so far (MAX_DELIVERIES: the consumer's max_deliver). */
  deliveries: number;
  /** Servers after 2.9 send the reason given to `term(reason)`; 2.9 sends none. */
  reason?: string;
}

/** An advisory that cannot be read; retrying cannot change that. */
export class InvalidAdvisoryError extends Error {
  override readonly name = 'InvalidAdvisoryError';
}

// Both advisories (io.nats.jetstream.advisory.v1.max_deliver and .terminated)
// carry these fields, MSG_TERMINATED included since NATS 2.2.
const advisorySchema = z.object({
  stream: z.string().min(1),
  consumer: z.string().min(1),
  stream_seq: z.int().positive(),
  deliveries: z.int().nonnegative(),
  reason: z.string().optional(),
});

const kindByPrefix: ReadonlyArray<readonly [string, AdvisoryKind]> = [
  [`${AdvisorySubjects.MAX_DELIVERIES}.`, 'max_deliveries'],
  [`${AdvisorySubjects.MSG_TERMINATED}.`, 'terminated'],
];

/** Reads an advisory captured on `subject`; throws InvalidAdvisoryError when it is not one we know. */
export function parseAdvisory(subject: string, data: Uint8Array): ConsumerAdvisory {
  const kind = kindByPrefix.find(([prefix]) => subject.startsWith(prefix))?.[1];
  if (!kind) throw new InvalidAdvisoryError(`not a consumer advisory subject: ${subject}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new InvalidAdvisoryError(`advisory on ${subject} is not JSON`);
  }
  const parsed = advisorySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidAdvisoryError(`advisory on ${subject} is incomplete: ${issues}`);
  }
  const { stream, consumer, stream_seq, deliveries, reason } = parsed.data;
  return { kind, stream, consumer, streamSeq: stream_seq, deliveries, ...(reason ? { reason } : {}) };
}
