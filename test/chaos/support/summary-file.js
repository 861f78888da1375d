/**
 * The chaos scenarios run in Jest's workers; each writes its one-line summary
 * to a file named by this variable, and the global teardown prints them all
 * together at the end, so a run ends with the figures in one place.
 * Plain JavaScript: Jest loads global set-up and teardown without transforms.
 */
export const CHAOS_SUMMARY_FILE_ENV = 'CHAOS_SUMMARY_FILE';
