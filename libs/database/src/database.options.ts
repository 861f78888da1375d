export interface DatabaseOptions {
  /** postgresql:// URL of the service's database. */
  url: string;
  /** Connections this process may hold open. Default: DEFAULT_POOL_SIZE. */
  poolSize?: number;
}

/** Injection token of the DatabaseOptions given to DatabaseModule.forRoot. */
export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

// pg's own default. Every replica of every service holds up to this many
// connections, so size it against the server's max_connections.
export const DEFAULT_POOL_SIZE = 10;
