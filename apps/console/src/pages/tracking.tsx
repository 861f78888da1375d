import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { describeError, text, type OrderState, type OrderTimeline, type OrderView } from '../api/client';
import { consoleConfig } from '../api/console-config';
import { subscribeToOrder, type SocketStatus } from '../api/order-socket';
import { ConfirmButton } from '../components/confirm-button';
import { addressLines, money, time } from '../format';
import { useSession } from '../session';

/**
 * One order, live: a status bar that fills in through reserved, paid,
 * prepared and shipped as each change commits (pushed over /ws; polled every
 * 2 s while the socket is down), the time of each step, who it ships to and
 * where, carrier and tracking number, the event timeline, a cancel button
 * while cancelling is allowed, and the trace in Jaeger when the deployment
 * has one.
 */
const STEPS: ReadonlyArray<{ state: OrderState; label: string }> = [
  { state: 'CREATED', label: 'Placed' },
  { state: 'RESERVED', label: 'Reserved' },
  { state: 'PAID', label: 'Paid' },
  { state: 'SHIPMENT_PREPARED', label: 'Prepared' },
  { state: 'SHIPPED', label: 'Shipped' },
];
/** How far along the happy path each state is (the index of the last step reached). */
const PROGRESS: Partial<Record<OrderState, number>> = { CREATED: 0, RESERVED: 1, PAYMENT_PENDING: 1, PAID: 2, SHIPMENT_PREPARED: 3, SHIPPED: 4 };
/** The states an order can be cancelled from (the orders-api state machine's CANCEL). */
const CANCELLABLE: ReadonlySet<OrderState> = new Set(['CREATED', 'RESERVED', 'PAYMENT_PENDING', 'PAID', 'SHIPMENT_PREPARED']);
const TERMINAL: ReadonlySet<OrderState> = new Set(['SHIPPED', 'FAILED', 'CANCELLED', 'REJECTED']);
const POLL_MS = 2_000;

const STATE_LABELS: Record<OrderState, string> = {
  CREATED: 'Placed',
  RESERVED: 'Reserved',
  PAYMENT_PENDING: 'Awaiting payment',
  PAID: 'Paid',
  SHIPMENT_PREPARED: 'Prepared for shipping',
  SHIPPED: 'Shipped',
  CANCELLING: 'Cancelling',
  FAILED: 'Payment failed',
  CANCELLED: 'Cancelled',
  REJECTED: 'Rejected',
};

export function TrackingLookupPage() {
  const navigate = useNavigate();
  const [orderId, setOrderId] = useState('');
  const inputId = useId();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (orderId.trim()) void navigate(`/orders/${encodeURIComponent(orderId.trim())}`);
  };
  return (
    <section className="card narrow">
      <h1>Track an order</h1>
      <form onSubmit={submit}>
        <label htmlFor={inputId}>Order number</label>
        <input id={inputId} required value={orderId} onChange={(e) => setOrderId(e.target.value)} autoComplete="off" />
        <button type="submit">Track</button>
      </form>
    </section>
  );
}

export function TrackingPage() {
  const { orderId = '' } = useParams();
  const { api, apiKey } = useSession();
  const [order, setOrder] = useState<OrderView | null>(null);
  const [timeline, setTimeline] = useState<OrderTimeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [socket, setSocket] = useState<SocketStatus>('connecting');
  const [jaegerUrl, setJaegerUrl] = useState<string | null>(null);
  const version = useRef(0);

  /** Takes a newer view of the order; an older or repeated one (a poll racing a push) is ignored. */
  const accept = useCallback((next: OrderView) => {
    if (next.version < version.current) return;
    version.current = next.version;
    setOrder(next);
  }, []);

  const load = useCallback(async () => {
    const { data, error: refused, response } = await api.GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } });
    if (data) {
      accept(data);
      setError(null);
    } else setError(response.status === 404 ? 'There is no order with this number.' : `The order could not be loaded: ${describeError(refused, response.status)}`);
  }, [api, orderId, accept]);

  useEffect(() => {
    version.current = 0;
    setOrder(null);
    setTimeline(null);
    void load();
    void consoleConfig().then((config) => setJaegerUrl(config.jaegerUrl));
    const subscription = subscribeToOrder(apiKey, orderId, () => version.current, accept, setSocket);
    return () => subscription.close();
  }, [apiKey, orderId, load, accept]);

  // The fallback while the socket is not live: poll until the order is over.
  const done = order ? TERMINAL.has(order.state) : false;
  useEffect(() => {
    if (socket === 'live' || done || error) return;
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [socket, done, error, load]);

  // The timeline follows the order: read again whenever its version moves.
  useEffect(() => {
    if (!order) return;
    let current = true;
    void api.GET('/api/v1/orders/{id}/events', { params: { path: { id: order.id } } }).then(({ data }) => current && data && setTimeline(data));
    return () => {
      current = false;
    };
  }, [api, order?.id, order?.version]);

  if (error) return <p className="error card narrow" role="alert">{error}</p>;
  if (!order) return <p role="status">Loading the order…</p>;
  const traceId = timeline?.events.map((event) => text(event.traceId)).find(Boolean);
  return (
    <article className="tracking" aria-labelledby="order-heading">
      <header className="tracking-header">
        <h1 id="order-heading">Order {order.id}</h1>
        <p className="live-status" aria-live="polite">
          <span className={`dot ${socket === 'live' ? 'on' : ''}`} aria-hidden="true" />
          {socket === 'live' ? 'Live' : done ? 'Final' : 'Updating every 2 s'}
        </p>
      </header>
      <p className="state-line" role="status" aria-live="polite" data-testid="order-state" data-state={order.state}>
        {STATE_LABELS[order.state]}
      </p>
      <StatusBar order={order} />
      <Outcome order={order} />
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="details">
          <dt>Customer</dt>
          <dd>{order.customerId}</dd>
          {order.shipping && (
            <>
              <dt>Ship to</dt>
              <dd data-testid="ship-to">
                <span className="address-line">{order.shipping.name}</span>
                {addressLines(order.shipping.address).map((line, index) => (
                  <span key={index} className="address-line">
                    {line}
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>Total</dt>
          <dd>{money(order.totalCents, order.currency)}</dd>
          <dt>Carrier</dt>
          <dd data-testid="carrier">{text(order.carrier) ?? '—'}</dd>
          <dt>Tracking number</dt>
          <dd data-testid="tracking-number">{text(order.trackingNumber) ?? '—'}</dd>
          <dt>Shipped</dt>
          <dd>{time(text(order.shippedAt)) || '—'}</dd>
        </dl>
        <table>
          <caption className="visually-hidden">Order lines</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">Quantity</th>
              <th scope="col" className="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.sku}>
                <td>{line.sku}</td>
                <td className="num">{line.quantity}</td>
                <td className="num">{money(line.lineTotalCents, order.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {CANCELLABLE.has(order.state) && <CancelOrder order={order} onCancelled={accept} />}
        {jaegerUrl && traceId && (
          <p>
            <a href={`${jaegerUrl}/trace/${traceId}`} target="_blank" rel="noreferrer">
              View the trace in Jaeger
            </a>
          </p>
        )}
      </section>
      <Timeline timeline={timeline} />
    </article>
  );
}

function StatusBar({ order }: { order: OrderView }) {
  const reachedAt = new Map(order.history.map((change) => [change.to, change.occurredAt]));
  // Off the happy path the bar stops where the order left it.
  const lastState = [...order.history].reverse().find((change) => PROGRESS[change.to] !== undefined)?.to ?? 'CREATED';
  const reached = PROGRESS[order.state] ?? PROGRESS[lastState] ?? 0;
  const stopped = !(order.state in PROGRESS);
  return (
    <ol className={`status-bar ${stopped ? 'stopped' : ''}`} aria-label="Order progress">
      {STEPS.map((step, index) => {
        const isDone = index <= reached;
        const at = reachedAt.get(step.state);
        return (
          <li key={step.state} className={isDone ? 'done' : ''} aria-current={index === reached && !stopped ? 'step' : undefined} data-step={step.state}>
            <span className="step-label">
              {step.label}
              <span className="visually-hidden">{isDone ? ' (done)' : ' (not yet)'}</span>
            </span>
            <span className="step-time">{at ? time(at) : ''}</span>
          </li>
        );
      })}
    </ol>
  );
}

function Outcome({ order }: { order: OrderView }) {
  if (!['FAILED', 'REJECTED', 'CANCELLED', 'CANCELLING'].includes(order.state)) return null;
  // A cancellation's reason is the customer's (on the change to CANCELLING); how it was settled comes after.
  const cancelled = order.history.find((change) => change.to === 'CANCELLING');
  const reason = text(cancelled?.reason) ?? text(order.failureReason) ?? text([...order.history].reverse().find((change) => text(change.reason))?.reason);
  const settled = cancelled && order.state === 'CANCELLED' ? text(order.failureReason) : null;
  const at = order.history.at(-1)?.occurredAt;
  return (
    <div className={`outcome ${order.state === 'CANCELLING' ? 'pending' : 'bad'}`} role="status">
      <strong>{STATE_LABELS[order.state]}</strong>
      {at && <span> at {time(at)}</span>}
      {reason && <p data-testid="outcome-reason">Reason: {reason}</p>}
      {settled && settled !== reason && <p>Settled: {settled}</p>}
    </div>
  );
}

function CancelOrder({ order, onCancelled }: { order: OrderView; onCancelled: (order: OrderView) => void }) {
  const { api } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const cancel = async (): Promise<void> => {
    const { data, error: refused, response } = await api.POST('/api/v1/orders/{id}/cancel', {
      params: { path: { id: order.id } },
      body: reason.trim() ? { reason: reason.trim() } : {},
    });
    if (data) onCancelled(data);
    else setError(`The order was not cancelled: ${describeError(refused, response.status)}`);
  };
  return (
    <div className="cancel">
      <ConfirmButton label="Cancel order" question="Cancel this order?" confirmLabel="Yes, cancel it" danger onConfirm={cancel}>
        <label htmlFor={reasonId}>Reason (optional)</label>
        <input id={reasonId} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      </ConfirmButton>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function Timeline({ timeline }: { timeline: OrderTimeline | null }) {
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Events</h2>
      {!timeline ? (
        <p role="status">Loading the events…</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {timeline.events.map((event) => (
            <li key={event.id}>
              <time dateTime={event.occurredAt}>{time(event.occurredAt)}</time>
              <span className="event-type">{event.type}</span>
              <span className="event-service">{event.service}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
