/**
 * The layering rules, checked by dependency-cruiser in the unit layer
 * (test/architecture/layering.spec.ts runs `depcruise` with this file and
 * fails with each broken rule's name and the reason below).
 *
 *   libs/contracts  <-  every other library  <-  apps  (and tools, tests)
 *
 * Each library has one public entry, `libs/<name>/src/index.ts`, imported as
 * `#<name>` (package.json "imports"); what is not exported there is internal.
 */
const PUBLIC_ENTRY = '^libs/[^/]+/src/index\\.ts$';
const PUBLIC_ENTRY_ONLY =
  'Outside a library, import it only as #<name> (its src/index.ts). Anything else is internal and may change ' +
  "without notice; if another module needs it, export it from the library's index.ts.";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contracts-import-nothing-of-ours',
      comment:
        'libs/contracts is the one place subjects, event types and schemas are spelled (invariant 7). Every ' +
        'service and library depends on it, so it may depend on no app, library or tool of ours: move what it ' +
        'needs into libs/contracts, or the dependency the other way round.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^(apps|libs|tools)/', pathNot: '^libs/contracts/' },
    },
    {
      name: 'libraries-import-no-app',
      comment:
        'Libraries are shared by every service (and by services the schematic generates), so a library that ' +
        'imports an app drags that app into all of them. Move the shared piece into a library, or pass it in ' +
        '(a provider, an option, a callback).',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-import-no-other-app',
      comment:
        'Services talk through events on JetStream, never through each other\'s code: an import from another ' +
        'app couples their releases and their tables ("no service writes another\'s tables"). Put what they ' +
        'share in libs/contracts (shapes) or a library (mechanisms).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libraries-only-through-their-public-entry',
      comment: PUBLIC_ENTRY_ONLY,
      severity: 'error',
      from: { path: '^(apps|tools|test)/' },
      to: { path: '^libs/', pathNot: PUBLIC_ENTRY },
    },
    {
      name: 'libraries-use-each-other-through-their-public-entry',
      comment: PUBLIC_ENTRY_ONLY,
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: ['^libs/$1/', PUBLIC_ENTRY] },
    },
    {
      name: 'no-cycles',
      comment:
        'A cycle means neither module can be understood, tested or loaded without the other, and ESM ' +
        'evaluates one of them half-initialised. Move what both need into a third module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', 'libs/database/src/generated'] },
    exclude: { path: ['^dist/', '^node_modules/', '^\\.local/', '^libs/database/src/generated/', '^apps/console/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve `#contracts` and friends to the TypeScript sources, as tsc and Jest do.
    enhancedResolveOptions: {
      conditionNames: ['source', 'import', 'node', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
