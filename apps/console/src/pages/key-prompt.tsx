import { useId, useState, type FormEvent } from 'react';

/** The one time the console asks for a key (kept in this tab's sessionStorage afterwards). */
export function KeyPrompt({ error, onKey }: { error?: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  const inputId = useId();
  const errorId = useId();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <main id="main" className="key-prompt">
      <h1>Order pipeline console</h1>
      <form onSubmit={submit} className="card">
        <label htmlFor={inputId}>API key</label>
        <p className="hint">The key is kept only in this browser tab. The demo prints a link that fills it in.</p>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          required
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        {error && (
          <p id={errorId} className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
