/**
 * Prints the nats-server `authorization` block of the pipeline's users (one
 * per service, permissions from libs/contracts, and `admin`), with the
 * passwords taken from the environment, one variable per user:
 *
 *   NATS_PASSWORD_ORDERS_API=... NATS_PASSWORD_PAYMENTS=... NATS_PASSWORD_SHIPMENTS=... \
 *   NATS_PASSWORD_ADMIN=... npm run --silent nats:config -- --out auth.conf
 *
 * and the server's configuration includes it (`include "auth.conf"`).
 * Without --out it goes to stdout. Self-contained (no other tool of ours), as
 * the image runs it too: `order-pipeline nats-config --out /nats-auth/authorization.conf`.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { natsPasswordVariable, natsUserNames, renderNatsAuthorization } from './nats-authorization.js';

const usage = `Usage: print-nats-config [--out FILE]

Writes the nats-server authorization block of the pipeline's NATS users to
FILE (mode 0600) or to stdout. The password of each user comes from:
${natsUserNames()
  .map((user) => `  ${natsPasswordVariable(user).padEnd(28)} ${user}`)
  .join('\n')}
A bcrypt hash of a password ($2a$...) may be given instead of the password.
`;

function main(): number {
  let out: string | undefined;
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      process.stdout.write(usage);
      return 0;
    }
    out = values.out;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const passwords = Object.fromEntries(natsUserNames().map((user) => [user, process.env[natsPasswordVariable(user)]]));
  let text: string;
  try {
    text = renderNatsAuthorization(passwords);
  } catch (error) {
    // Names the users and the rule, never a password.
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (out) {
    writeFileSync(out, text, { mode: 0o600 });
    chmodSync(out, 0o600); // also when the file was there before (a rotation)
  } else {
    process.stdout.write(text);
  }
  return 0;
}

process.exitCode = main();
