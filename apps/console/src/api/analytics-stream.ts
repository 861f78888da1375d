import { API_KEY_HEADER, type Analytics } from './client';

/**
 * The analytics feed (GET /api/v1/analytics/stream, Server-Sent Events).
 * EventSource cannot send the API key header, so the stream is read with
 * fetch and a reader, split into events at blank lines; every `analytics`
 * event's data is the figures as GET /api/v1/analytics answers them (the
 * type comes from the OpenAPI document). On a drop it reconnects after 2 s.
 */
const RECONNECT_MS = 2_000;

export function followAnalytics(
  apiKey: string,
  onFigures: (figures: Analytics) => void,
  onStatus: (live: boolean) => void,
): () => void {
  const abort = new AbortController();
  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch('/api/v1/analytics/stream', {
          headers: { [API_KEY_HEADER]: apiKey, accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onStatus(true);
        await readEvents(response.body, (event, data) => {
          if (event === 'analytics') onFigures(JSON.parse(data) as Analytics);
        });
      } catch {
        // a drop or an abort: reconnect unless aborted
      }
      onStatus(false);
      if (!abort.signal.aborted) await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };
  void run();
  return () => abort.abort();
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}
