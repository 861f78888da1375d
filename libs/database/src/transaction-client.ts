import type { Prisma } from './generated/prisma/client.js';

/**
 * The client an interactive transaction hands to its callback
 * (`prisma.$transaction(async (tx) => ...)`). Code that must run inside the
 * caller's transaction (outbox and inbox writes, version-checked updates)
 * takes this type, so it cannot open a transaction of its own by mistake.
 */
export type TransactionClient = Prisma.TransactionClient;
