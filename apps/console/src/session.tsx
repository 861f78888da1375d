import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client.js';

/** The signed-in key, its typed client and what it may do: every page reads it from here. */
export interface Session {
  apiKey: string;
  api: ApiClient;
  operator: boolean;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}
