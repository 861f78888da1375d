/**
 * Memory settings every service runs with: here (demo, bench, end-to-end
 * tests, through pipeline.ts) and in the image (deploy/docker/entrypoint.sh,
 * kept equal by test/deploy), so what the bench measures is what runs.
 *
 * Why: a service holds about 50 MB of live heap, but with the defaults its
 * resident set reached 210-350 MB under load (target: under 200 MB):
 * - V8's young generation grows to two 16 MB semi-spaces, all of it resident;
 * - V8's old generation is collected only once it has grown by a factor that
 *   V8 scales with the heap limit, which it derives from the machine's
 *   memory: up to 4x with a limit of 2 GB or more (4 GB on the 24 GB bench
 *   machine), at most 1.3x with a limit of 256 MB. So garbage piled up to
 *   well over 100 MB before a full collection freed it;
 * - glibc's malloc gives each thread that allocates (V8's GC and compiler
 *   workers, libuv's pool) an arena of its own, up to 8 per core, and each
 *   keeps what was freed in it: about 20 MB per service here.
 * Measured back to back (`npm run bench`, 1,000 orders, 2 cores; README,
 * Performance): peak RSS of orders-api, payments, shipments 335/200/239 MB
 * without these settings, 180/156/158 MB with them.
 */

/**
 * Node.js flags, before the entry point. The old-space limit leaves five times
 * the live heap as headroom and stays well inside the containers' 512Mi
 * memory limit (helm values), so the process fails with a heap-out-of-memory
 * message before the kernel's OOM killer would end it without one.
 */
export const SERVICE_HEAP_FLAGS: readonly string[] = [
  // MB per semi-space: a young generation of 16 MB instead of 32. Not 4: that
  // saved another 10 MB but cost clearly more CPU per order (twice the
  // scavenges, and objects still in use promoted early); 8 cost less than the
  // bench's run-to-run spread.
  '--max-semi-space-size=8',
  // MB; the default is derived from the machine's (or cgroup's) memory.
  '--max-old-space-size=256',
];

/** Environment of the service process: two malloc arenas in all (the main one and one shared by the threads). */
export const SERVICE_MEMORY_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
