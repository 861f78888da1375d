import { Logger } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { InvalidArgumentError } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { DeadLetterStatus, deadLetterMsgId, deadLetterSubject } from '#contracts';
import type { PrismaService } from '#database';
import { deadLettersRecorded } from '#metrics';
import { logEvent, MESSAGING_SYSTEM, MessagingAttributes, traceLinked } from '#telemetry';
import type { ConsumerAdvisory } from './advisory.js';
import { appliedResolution, type AppliedEvents } from './applied-events.js';
import { deadLetterCopyHeaders, draftDeadLetter, type DeadLetterDraft, type OriginalMessage } from './dead-letter-draft.js';
import { bodyBytes } from './message-body.js';
import { headersToRecord, recordToHeaders } from './message-headers.js';

export type RecordOutcome = 'recorded' | 'already-recorded';

/**
 * Turns one advisory into one dead letter: reads the original message by its
 * sequence, publishes a copy to `deadletters.<stream>.<consumer>` and inserts
 * the row. Idempotent end to end, because an advisory is handled at least once:
 *  - a dead letter already in the table is not published again;
 *  - the copy's `Nats-Msg-Id` names the message and consumer, so a second
 *    publish inside the duplicate window is dropped by the server;
 *  - the row is unique per (stream, sequence, consumer) and inserted with
 *    ON CONFLICT DO NOTHING, so two handlers racing make one row.
 *
 * A dead letter whose event the consumer's inbox holds is recorded RESOLVED,
 * with the reason (AppliedEvents): the event was applied by another delivery
 * of it, or by this delivery's last attempt recording its failure, so there
 * is nothing to replay. The open list is work left undone.
 *
 * The original is left in its source stream on purpose: our streams use limits
 * retention, and other consumers of the same stream may not have processed
 * the message yet (it is dead for one consumer, not for all). Deleting it
 * would take it from them; it leaves with the stream's max age like any other.
 */
export class DeadLetterRecorder {
  private readonly logger = new Logger(DeadLetterRecorder.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly applied: AppliedEvents,
  ) {}

  async record(advisory: ConsumerAdvisory): Promise<RecordOutcome> {
    if (await this.isRecorded(advisory)) return 'already-recorded';
    const draft = draftDeadLetter(advisory, await this.readOriginal(advisory));
    // A span of its own, linked to the trace of the message given up on
    // (its stored traceparent): the dead letter happens long after that trace.
    return traceLinked(`${draft.originalSubject ?? draft.sourceStream} dead-letter`, draft.headers, deadLetterAttributes(draft), () =>
      this.store(draft),
    );
  }

  private async store(draft: DeadLetterDraft): Promise<RecordOutcome> {
    const [applied] = draft.eventId ? await this.applied.of([{ consumer: draft.consumer, eventId: draft.eventId }]) : [];
    const copy = await this.publishCopy(draft);
    const { count } = await this.prisma.deadLetterEvent.createMany({
      data: [
        {
          id: uuidv7(),
          sourceStream: draft.sourceStream,
          streamSeq: draft.streamSeq,
          consumer: draft.consumer,
          originalSubject: draft.originalSubject,
          reason: draft.reason,
          detail: draft.detail,
          deliveries: draft.deliveries,
          eventId: draft.eventId,
          eventType: draft.eventType,
          data: draft.body?.data ?? null,
          dataEncoding: draft.body?.dataEncoding,
          dataJson: draft.body?.dataJson,
          headers: draft.headers,
          originalTime: draft.originalTime,
          deadLetterSeq: copy.seq,
          ...(applied && { status: DeadLetterStatus.RESOLVED, resolution: appliedResolution(applied), resolvedAt: new Date() }),
        },
      ],
      skipDuplicates: true, // INSERT ... ON CONFLICT DO NOTHING
    });
    if (count === 0) return 'already-recorded';
    deadLettersRecorded.inc({ consumer: draft.consumer, reason: draft.reason });
    if (applied) {
      logEvent(
        this.logger,
        'DLQ_RESOLVED',
        { consumer: draft.consumer, sourceStream: draft.sourceStream, streamSeq: draft.streamSeq, reason: draft.reason, eventId: draft.eventId },
        `dead letter of ${draft.consumer} for ${draft.sourceStream} #${draft.streamSeq} recorded as resolved: ${appliedResolution(applied)}`,
      );
      return 'recorded';
    }
    logEvent(
      this.logger,
      'DLQ_EVENT',
      {
        consumer: draft.consumer,
        sourceStream: draft.sourceStream,
        streamSeq: draft.streamSeq,
        subject: draft.originalSubject,
        reason: draft.reason,
        deliveries: draft.deliveries,
        eventId: draft.eventId,
        eventType: draft.eventType,
      },
      `dead letter: ${draft.consumer} gave up on ${draft.sourceStream} #${draft.streamSeq} ` +
        `(${draft.originalSubject ?? 'subject unknown'}), ${draft.reason}: ${draft.detail}`,
    );
    return 'recorded';
  }

  private async isRecorded(advisory: ConsumerAdvisory): Promise<boolean> {
    const row = await this.prisma.deadLetterEvent.findUnique({
      where: {
        sourceStream_streamSeq_consumer: {
          sourceStream: advisory.stream,
          streamSeq: advisory.streamSeq,
          consumer: advisory.consumer,
        },
      },
      select: { id: true },
    });
    return row !== null;
  }

  /** The original, headers included; undefined when it (or its stream) is gone. */
  private async readOriginal(advisory: ConsumerAdvisory): Promise<OriginalMessage | undefined> {
    try {
      const stored = await this.jsm.streams.getMessage(advisory.stream, { seq: advisory.streamSeq });
      if (!stored) return undefined;
      return { subject: stored.subject, data: stored.data, headers: headersToRecord(stored.header), time: stored.time };
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
      throw error;
    }
  }

  /**
   * The copy in DEAD_LETTERS: the body with the original's headers and the
   * Dlq-* ones. A body that came close to the server's max_payload no longer
   * fits with them; that copy goes without its body, saying so in Dlq-Detail
   * (the row keeps the body, and a replay sends it from there).
   */
  private async publishCopy(draft: DeadLetterDraft) {
    const body = draft.body ? bodyBytes(draft.body.data, draft.body.dataEncoding) : undefined;
    try {
      return await this.publishCopyOf(draft, body);
    } catch (error) {
      if (!body || !isPastMaxPayload(error)) throw error;
      const detail = `${draft.detail} [the body (${body.length} bytes) is not in this copy: with these headers it would exceed the server's max_payload; the dead letter's row keeps it]`;
      return this.publishCopyOf({ ...draft, detail }, undefined);
    }
  }

  private publishCopyOf(draft: DeadLetterDraft, body: Uint8Array | undefined) {
    return this.js.publish(deadLetterSubject(draft.sourceStream, draft.consumer), body, {
      msgID: deadLetterMsgId(draft.sourceStream, draft.streamSeq, draft.consumer),
      headers: recordToHeaders(deadLetterCopyHeaders(draft)),
    });
  }
}

/** nats.js refuses, before sending, a message larger than the server's max_payload. */
function isPastMaxPayload(error: unknown): boolean {
  return error instanceof InvalidArgumentError && error.message.includes('max_payload');
}


function deadLetterAttributes(draft: DeadLetterDraft) {
  return {
    [MessagingAttributes.SYSTEM]: MESSAGING_SYSTEM,
    [MessagingAttributes.DESTINATION_NAME]: deadLetterSubject(draft.sourceStream, draft.consumer),
    [MessagingAttributes.CONSUMER_GROUP]: draft.consumer,
    [MessagingAttributes.STREAM]: draft.sourceStream,
    [MessagingAttributes.STREAM_SEQUENCE]: draft.streamSeq,
    [MessagingAttributes.DELIVERY_COUNT]: draft.deliveries,
    'deadletter.reason': draft.reason,
    ...(draft.eventId && { [MessagingAttributes.MESSAGE_ID]: draft.eventId }),
  };
}
