import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { READ_MODELS, rebuildReadModel } from './rebuild.js';

/**
 * npm run rebuild -- <read-model> [--replace]: replays the streams from the
 * start into a fresh copy of the read model, with a progress bar, and says
 * whether the copy equals the live one; --replace then swaps it in. The
 * connection comes from DATABASE_URL, NATS_URL and, for a NATS with users,
 * NATS_USER / NATS_PASSWORD of a user that may create ephemeral consumers
 * (the admin: a service's own user may not).
 */
const usage = `Usage: npm run rebuild -- <read-model> [--replace]

Read models:
${Object.values(READ_MODELS).map((m) => `  ${m.name.padEnd(12)} ${m.description}`).join('\n')}

Environment: DATABASE_URL, NATS_URL, and NATS_USER / NATS_PASSWORD (the admin) for a NATS with users.
Exit status: 0 when the rebuilt copy equals the live one (or replaced it), 1 otherwise.
`;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { replace: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
const [name] = positionals;
if (values.help || !name || positionals.length > 1 || !READ_MODELS[name]) {
  process.stdout.write(usage);
  process.exit(values.help ? 0 : 2);
}
const databaseUrl = process.env['DATABASE_URL'];
const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
if (!databaseUrl) {
  process.stderr.write('DATABASE_URL is required\n');
  process.exit(2);
}

const { reads = 'messages', holds = 'rows' } = READ_MODELS[name]!;
const bar = process.stderr.isTTY
  ? new cliProgress.SingleBar({ format: `replaying [{bar}] {percentage}% | {value}/{total} ${reads} | {eta_formatted} left`, stream: process.stderr }, cliProgress.Presets.shades_classic)
  : undefined;
let started = false;
const result = await rebuildReadModel(name, {
  databaseUrl,
  natsUrl,
  natsUser: process.env['NATS_USER'],
  natsPassword: process.env['NATS_PASSWORD'],
  replace: values.replace,
  onProgress: ({ total, read }) => {
    if (!bar) return;
    if (!started) {
      bar.start(total, read);
      started = true;
    } else bar.update(read);
  },
});
bar?.stop();
const equal = result.onlyRebuilt === 0 && result.onlyLive === 0;
console.log(`${name}: ${result.eventsRead} ${reads} read, ${result.rebuilt} ${holds} rebuilt, ${result.live} live`);
console.log(
  equal
    ? `${name}: the rebuilt copy equals the live one`
    : `${name}: the copy differs: ${result.onlyRebuilt} ${holds} only in the copy, ${result.onlyLive} only in the live read model`,
);
if (result.replaced) console.log(`${name}: the rebuilt copy replaced the live read model`);
process.exit(equal || result.replaced ? 0 : 1);
