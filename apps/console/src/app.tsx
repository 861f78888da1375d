import { useCallback, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes } from 'react-router';
import { forgetApiKey, readApiKey, saveApiKey } from './api/api-key';
import { createApiClient } from './api/client';
import { checkKey } from './api/scopes';
import { KeyPrompt } from './pages/key-prompt';
import { StorefrontPage } from './pages/storefront';
import { TrackingPage, TrackingLookupPage } from './pages/tracking';
import { OperationsPage } from './pages/operations';
import { AnalyticsPage } from './pages/analytics';
import { SessionContext, type Session } from './session';

type KeyState = { phase: 'asking'; error?: string } | { phase: 'checking'; key: string } | { phase: 'ready'; key: string; operator: boolean };

/** Asks for a key once, checks it, then shows the pages that key may use. */
export function App() {
  const [state, setState] = useState<KeyState>(() => {
    const key = readApiKey();
    return key ? { phase: 'checking', key } : { phase: 'asking' };
  });

  useEffect(() => {
    if (state.phase !== 'checking') return;
    let current = true;
    checkKey(createApiClient(state.key))
      .then((check) => {
        if (!current) return;
        if (!check.valid) {
          forgetApiKey();
          setState({ phase: 'asking', error: 'That key is not valid.' });
        } else {
          saveApiKey(state.key);
          setState({ phase: 'ready', key: state.key, operator: check.operator });
        }
      })
      .catch(() => current && setState({ phase: 'asking', error: 'The API could not be reached. Try again.' }));
    return () => {
      current = false;
    };
  }, [state]);

  const signOut = useCallback(() => {
    forgetApiKey();
    setState({ phase: 'asking' });
  }, []);

  const session = useMemo<Session | null>(
    () => (state.phase === 'ready' ? { apiKey: state.key, api: createApiClient(state.key), operator: state.operator, signOut } : null),
    [state, signOut],
  );

  if (state.phase === 'asking') return <KeyPrompt error={state.error} onKey={(key) => setState({ phase: 'checking', key })} />;
  if (!session) return <p className="page-status" role="status">Checking the key…</p>;
  return (
    <SessionContext.Provider value={session}>
      <BrowserRouter basename="/console">
        <Layout operator={session.operator} onSignOut={signOut}>
          <Routes>
            <Route path="/" element={<StorefrontPage />} />
            <Route path="/orders" element={<TrackingLookupPage />} />
            <Route path="/orders/:orderId" element={<TrackingPage />} />
            <Route path="/analytics" element={<AnalyticsPage />} />
            {session.operator && <Route path="/operations" element={<OperationsPage />} />}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Layout>
      </BrowserRouter>
    </SessionContext.Provider>
  );
}

function Layout({ operator, onSignOut, children }: { operator: boolean; onSignOut: () => void; children: React.ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <span className="brand">Order pipeline</span>
        <nav aria-label="Console">
          <ul>
            <li>
              <NavLink to="/" end>
                Shop
              </NavLink>
            </li>
            <li>
              <NavLink to="/orders">Track an order</NavLink>
            </li>
            <li>
              <NavLink to="/analytics">Analytics</NavLink>
            </li>
            {operator && (
              <li>
                <NavLink to="/operations">Operations</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <button type="button" className="link-button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
