/**
 * The API key the console calls with: asked for once, kept in sessionStorage
 * (gone when the tab closes), or handed over in the URL as `#key=<key>` (the
 * demo prints such a link). The fragment never reaches a server or a log; it
 * is removed from the address bar as soon as it is read.
 */
const STORAGE_KEY = 'order-pipeline.api-key';

export function readApiKey(): string | null {
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get('key');
  if (fromLink) {
    saveApiKey(fromLink);
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
    return fromLink;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveApiKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
