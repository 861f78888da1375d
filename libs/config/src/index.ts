export { parseEnv } from './parse-env.js';
export { commonEnvSchema, type CommonEnv } from './common-env.js';
