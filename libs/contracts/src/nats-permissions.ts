import { CONSUMER_BACKLOG_READER, Consumers, type ConsumerDefinition } from './consumers.js';
import { DeadLetterConsumers, DeadLetterStreams } from './dead-letters.js';
import { KvBuckets, kvStreamName } from './headers.js';
import { OutboxBacklogReports } from './outbox-backlog-reports.js';
import { ALL_EVENTS } from './registry.js';
import type { ServiceName } from './services.js';
import { Streams, type EventStreamDefinition } from './streams.js';
import { subjectMatches } from './subjects.js';

/**
 * What each service's NATS user may publish and subscribe to, derived from
 * the contracts: the events of the streams it owns, the consumers it runs,
 * the KV buckets it writes, and, for the service that runs the dead-letter
 * office, what recording and replaying dead letters takes. Nothing here is
 * listed by hand per service; a new stream, consumer or event changes the
 * permissions with it. tools/contracts renders them as a nats-server
 * `authorization` block (`npm run nats:config`).
 *
 * Found by reading the client's code and by running the services against a
 * server with these permissions (a missing one shows up as a "Permissions
 * Violation" in the server's log and as a failed request in the service).
 */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

/** The JetStream API's subject prefix (no JetStream domain). */
const API = '$JS.API';

/** A consumer as the permissions need it: event consumers and dead-letter consumers alike. */
type AnyConsumer = Pick<ConsumerDefinition, 'durable' | 'filterSubject' | 'service'> & { readonly stream: string };

const allConsumers = (): AnyConsumer[] => [...Object.values(Consumers), ...Object.values(DeadLetterConsumers)];

/**
 * Prefix of the service's reply subjects (requests, pull deliveries). Each
 * service subscribes only below its own, so no service can read another's
 * replies, the JetStream API answers and the messages its consumers pull.
 * The connection must use it (`inboxPrefix`), or no reply reaches it.
 */
export function natsInboxPrefix(service: ServiceName): string {
  return `_INBOX.${service}`;
}

/** Every service the contracts name (owners of streams and buckets, runners of consumers), each once. */
export function natsServices(): ServiceName[] {
  return unique([
    ...Object.values(Streams).map((s) => s.service),
    ...Object.values(KvBuckets).map((b) => b.service),
    ...allConsumers().map((c) => c.service),
  ]);
}

/**
 * The event streams a service provisions (creates, or updates to the
 * contracts' configuration) at start: its own, which its relay publishes
 * to, and those its consumers read, so that it can create its consumers
 * whichever service starts first.
 */
export function streamsUsedBy(service: ServiceName): EventStreamDefinition[] {
  const consumed = new Set<string>(allConsumers().filter((c) => c.service === service).map((c) => c.stream));
  return Object.values(Streams).filter((s) => s.service === service || consumed.has(s.name));
}

/** The NATS permissions of one service's user. */
export function natsPermissionsOf(service: ServiceName): NatsPermissions {
  const consumers = allConsumers().filter((c) => c.service === service);
  const buckets = Object.values(KvBuckets).filter((b) => b.service === service);
  const runsDeadLetterOffice = Object.values(DeadLetterConsumers).some((c) => c.service === service);
  const ownedDeadLetterStreams = Object.values(DeadLetterStreams).filter((s) => s.service === service);

  const managedStreams = unique([
    ...streamsUsedBy(service).map((s) => s.name),
    // Every service creates the stream that captures the server's give-up
    // advisories before it consumes anything (libs/bootstrap AdvisoryCapture):
    // an advisory emitted before the dead-letter office first ran is kept.
    DeadLetterStreams.DLQ_ADVISORIES.name,
    ...ownedDeadLetterStreams.map((s) => s.name),
    ...buckets.map((b) => kvStreamName(b.name)),
    // Every service reports its outbox backlog (libs/messaging OutboxBacklogReporter)
    // and creates the bucket when it is the first.
    kvStreamName(OutboxBacklogReports.bucket),
  ]);

  const publish = [
    // jetstreamManager() asks for the account's JetStream info first (read only).
    `${API}.INFO`,
    ...managedStreams.flatMap((name) => ['INFO', 'CREATE', 'UPDATE'].map((verb) => `${API}.STREAM.${verb}.${name}`)),
    ...emittedSubjects(service),
    ...consumers.flatMap(consumerSubjects),
    ...buckets.flatMap((b) => [
      // A put is a JetStream publish on the bucket's subject ($KV.<bucket>.<key>).
      `$KV.${b.name}.>`,
      // A get asks the stream directly for the key's last message.
      `${API}.DIRECT.GET.${kvStreamName(b.name)}.>`,
      // A watch (orders-api's live updates) is an ordered push consumer on the
      // bucket's stream: created under a fresh name (again after a gap), asked
      // for its info, deleted when stopped, and answering the server's flow control.
      `${API}.CONSUMER.CREATE.${kvStreamName(b.name)}.*.$KV.${b.name}.>`,
      `${API}.CONSUMER.INFO.${kvStreamName(b.name)}.*`,
      `${API}.CONSUMER.DELETE.${kvStreamName(b.name)}.*`,
      `$JS.FC.${kvStreamName(b.name)}.>`,
    ]),
    ...(service === CONSUMER_BACKLOG_READER
      ? Object.values(Consumers).map((c) => `${API}.CONSUMER.INFO.${c.stream}.${c.durable}`)
      : []),
    ...(runsDeadLetterOffice ? deadLetterOfficeSubjects() : []),
    ...outboxBacklogReportSubjects(service),
  ];

  return {
    publish: { allow: unique(publish) },
    subscribe: { allow: [`${natsInboxPrefix(service)}.>`] },
  };
}

/** The subjects of the events a service emits: every event of the streams it owns. */
function emittedSubjects(service: ServiceName): string[] {
  return ALL_EVENTS.filter((e) => Streams[e.stream].service === service).map((e) => e.subject);
}

/**
 * A service puts its own instances' reports only (the key starts with its
 * name); the reader gets any of them (direct get of a key's last message,
 * after listing the keys with a stream info, which managedStreams allows).
 */
function outboxBacklogReportSubjects(service: ServiceName): string[] {
  const { bucket, reader } = OutboxBacklogReports;
  return [
    `$KV.${bucket}.${service}.*`,
    ...(service === reader ? [`${API}.DIRECT.GET.${kvStreamName(bucket)}.>`] : []),
  ];
}

/**
 * What running a durable pull consumer takes: creating or updating it (the
 * subject names the filter, and the server checks the configuration against
 * it, so the user can create no consumer reading more than the contract
 * says), its info, pulling, and acknowledging (acks, naks, terms are
 * publishes to the reply subject of each delivered message).
 */
function consumerSubjects(c: AnyConsumer): string[] {
  return [
    `${API}.CONSUMER.CREATE.${c.stream}.${c.durable}.${c.filterSubject}`,
    `${API}.CONSUMER.INFO.${c.stream}.${c.durable}`,
    `${API}.CONSUMER.MSG.NEXT.${c.stream}.${c.durable}`,
    `$JS.ACK.${c.stream}.${c.durable}.>`,
  ];
}

/**
 * The dead-letter office (libs/dead-letters, in orders-api) reads the
 * original message of each give-up by its sequence, publishes its copy to
 * DEAD_LETTERS, and REPLAYS dead letters to their original subjects. So its
 * user may publish every subject a consumer of the contracts consumes,
 * including events other services own: a replay is a re-send of their
 * message, with its original event id (the consumers' inboxes drop it if it
 * was applied). A dead letter whose subject no consumer of the contracts
 * reads is not replayable (the server refuses the publish).
 */
function deadLetterOfficeSubjects(): string[] {
  const consumed = Object.values(Consumers).flatMap((c) =>
    ALL_EVENTS.filter((e) => subjectMatches(c.filterSubject, e.subject)).map((e) => e.subject),
  );
  return [
    // Broad on purpose: DLQ_ADVISORIES captures the give-ups of every
    // consumer of the account, and each is recorded with its message
    // (invariant 5); a refused read would be retried forever (the advisory
    // consumer never gives up). Read only.
    `${API}.STREAM.MSG.GET.*`,
    ...DeadLetterStreams.DEAD_LETTERS.subjects,
    ...consumed,
  ];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
