/**
 * What an API key may do. Reading and placing orders go together for a
 * storefront; cancelling is separate (a support desk); operator actions
 * (dead-letter replay and discard, and later restock and manual dispatch) are
 * for the people who run the pipeline.
 */
export const Scope = {
  ORDERS_READ: 'orders:read',
  ORDERS_PLACE: 'orders:place',
  ORDERS_CANCEL: 'orders:cancel',
  OPERATOR: 'operator',
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

export const ALL_SCOPES = Object.values(Scope) as [Scope, ...Scope[]];
