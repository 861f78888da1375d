import { useCallback, useEffect, useId, useState } from 'react';
import { describeError, num, text, type DeadLetterDetail, type DeadLetterSummary, type OperationsView } from '../api/client';
import { ConfirmButton } from '../components/confirm-button';
import { clockTime, time } from '../format';
import { useSession } from '../session';

/**
 * The operator's view (operator scope only): per-stage throughput, each
 * durable consumer's pending / ack-pending / redelivered counts, the outbox
 * backlog per service, all polled every 2 s; and the open dead letters with
 * inspect, replay and discard (replay and discard ask first).
 */
const POLL_MS = 2_000;

export function OperationsPage() {
  const { api } = useSession();
  const [figures, setFigures] = useState<OperationsView | null>(null);
  const [figuresError, setFiguresError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const poll = async (): Promise<void> => {
      const result = await api.GET('/api/v1/operations').catch(() => undefined);
      if (!current) return;
      if (result?.data) {
        setFigures(result.data);
        setFiguresError(null);
      } else setFiguresError(result ? `The figures are not available: ${describeError(result.error, result.response.status)}.` : 'The API could not be reached.');
    };
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [api]);

  return (
    <div className="operations">
      <h1>Operations</h1>
      <p className="hint" aria-live="polite">
        {figures ? `Figures of ${clockTime(figures.at)}, every 2 s.` : figuresError ?? 'Loading the figures…'}
      </p>
      {figures && (
        <>
          <section className="card" aria-labelledby="stages-heading">
            <h2 id="stages-heading">Stages</h2>
            <div className="stage-grid">
              {figures.stages.map((stage) => (
                <div key={stage.name} className="stage">
                  <span className="stage-name">{stage.name}</span>
                  <span className="stage-rate">{stage.perSecond.toFixed(1)}/s</span>
                  <span className="stage-subject">{stage.subject}</span>
                </div>
              ))}
            </div>
          </section>
          <section className="card" aria-labelledby="consumers-heading">
            <h2 id="consumers-heading">Consumers</h2>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="consumers-heading">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Consumer</th>
                    <th scope="col">Service</th>
                    <th scope="col" className="num">Pending</th>
                    <th scope="col" className="num">Ack pending</th>
                    <th scope="col" className="num">Redelivered</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.consumers.map((c) => (
                    <tr key={`${c.stream}/${c.name}`}>
                      <td>
                        {c.name}
                        <span className="sub">{c.filterSubject}</span>
                      </td>
                      <td>{c.service}</td>
                      <td className="num">{c.pending}</td>
                      <td className="num">{c.ackPending}</td>
                      <td className="num">{c.redelivered}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="card" aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">Outbox</h2>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="outbox-heading">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col" className="num">Instances</th>
                    <th scope="col" className="num">Backlog</th>
                    <th scope="col" className="num">Oldest</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.outbox.map((o) => (
                    <tr key={o.service}>
                      <td>{o.service}</td>
                      <td className="num">{o.instances}</td>
                      <td className="num">{o.backlog}</td>
                      <td className="num">{num(o.oldestAgeSeconds)?.toFixed(1).concat(' s') ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      <DeadLetters open={figures?.deadLetters.open} />
    </div>
  );
}

function DeadLetters({ open }: { open: number | undefined }) {
  const { api } = useSession();
  const [items, setItems] = useState<DeadLetterSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [inspected, setInspected] = useState<DeadLetterDetail | null>(null);

  const load = useCallback(async () => {
    const { data, error: refused, response } = await api.GET('/api/v1/dead-letters', { params: { query: { status: 'PENDING', limit: 50 } } });
    if (data) {
      setItems(data.items);
      setError(null);
    } else setError(`The dead letters could not be loaded: ${describeError(refused, response.status)}`);
  }, [api]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load().catch(() => undefined), POLL_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const inspect = async (id: string): Promise<void> => {
    const { data, error: refused, response } = await api.GET('/api/v1/dead-letters/{id}', { params: { path: { id } } });
    if (data) setInspected(data);
    else setError(`The dead letter could not be read: ${describeError(refused, response.status)}`);
  };
  const replay = async (id: string): Promise<void> => {
    const { data, error: refused, response } = await api.POST('/api/v1/dead-letters/{id}/replay', { params: { path: { id } } });
    setNotice(data ? `Replayed ${id}: the message is back on its stream.` : null);
    if (!data) setError(`The replay failed: ${describeError(refused, response.status)}`);
    if (inspected?.id === id) setInspected(null);
    await load();
  };
  const discard = async (id: string, reason: string): Promise<void> => {
    const { data, error: refused, response } = await api.POST('/api/v1/dead-letters/{id}/discard', {
      params: { path: { id } },
      body: { reason: reason.trim() || 'discarded in the console' },
    });
    setNotice(data ? `Discarded ${id}.` : null);
    if (!data) setError(`The discard failed: ${describeError(refused, response.status)}`);
    if (inspected?.id === id) setInspected(null);
    await load();
  };

  return (
    <section className="card" aria-labelledby="dead-letters-heading">
      <h2 id="dead-letters-heading">
        Dead letters <span className="count" data-testid="dead-letters-open">{open ?? items?.length ?? ''}</span>
      </h2>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      {items && items.length === 0 && <p>No dead letters are waiting.</p>}
      <ul className="dead-letters">
        {(items ?? []).map((item) => (
          <li key={item.id} className="dead-letter" data-testid="dead-letter" data-event-type={text(item.eventType) ?? ''}>
            <div className="dead-letter-head">
              <strong>{text(item.eventType) ?? text(item.originalSubject) ?? 'not an event'}</strong>
              <span className="sub">
                {item.consumer} · {item.reason} after {item.deliveries} deliveries · {time(item.createdAt)}
              </span>
            </div>
            <div className="button-row">
              <button type="button" className="secondary" onClick={() => void inspect(item.id)} aria-label={`Inspect dead letter ${item.id}`}>
                Inspect
              </button>
              <ConfirmButton label="Replay" question="Publish this message to its stream again?" confirmLabel="Yes, replay" onConfirm={() => replay(item.id)} />
              <DiscardButton onDiscard={(reason) => discard(item.id, reason)} />
            </div>
            {inspected?.id === item.id && <Inspected deadLetter={inspected} onClose={() => setInspected(null)} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DiscardButton({ onDiscard }: { onDiscard: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  const reasonId = useId();
  return (
    <ConfirmButton label="Discard" question="Discard this message for good?" confirmLabel="Yes, discard" danger onConfirm={() => onDiscard(reason)}>
      <label htmlFor={reasonId}>Reason</label>
      <input id={reasonId} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
    </ConfirmButton>
  );
}

function Inspected({ deadLetter, onClose }: { deadLetter: DeadLetterDetail; onClose: () => void }) {
  const headingId = useId();
  return (
    <div className="inspected" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>Message {deadLetter.sourceStream} #{deadLetter.streamSeq}</h3>
      <dl className="details">
        <dt>Subject</dt>
        <dd>{text(deadLetter.originalSubject) ?? '—'}</dd>
        <dt>Reason</dt>
        <dd>{text(deadLetter.detail) ?? deadLetter.reason}</dd>
        <dt>Replays</dt>
        <dd>{deadLetter.replayCount}</dd>
      </dl>
      <pre className="payload" tabIndex={0} aria-label="Message body">
        {deadLetter.payload ? JSON.stringify(deadLetter.payload, null, 2) : String(text(deadLetter.body) ?? '')}
      </pre>
      <button type="button" className="secondary" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
