// @ts-check
/**
 * The service's entries in the workspace files: its project in nest-cli.json
 * (monorepo mode) and its start script in package.json. Both files are plain
 * JSON with two-space indentation, rewritten in that format.
 */
import { SchematicsException } from '@angular-devkit/schematics';

export const NEST_CLI_FILE = 'nest-cli.json';
export const PACKAGE_FILE = 'package.json';

/** @param {string} text */
export function readNestProjects(text) {
  return Object.keys(parse(text, NEST_CLI_FILE).projects ?? {});
}

/**
 * Adds the application project after the last application (before the libraries).
 * @param {string} text
 * @param {string} name
 */
export function addNestProject(text, name) {
  const config = parse(text, NEST_CLI_FILE);
  const projects = config.projects ?? {};
  if (projects[name]) return text;
  const project = {
    type: 'application',
    root: `apps/${name}`,
    entryFile: `apps/${name}/src/main`,
    sourceRoot: `apps/${name}/src`,
    compilerOptions: { tsConfigPath: 'tsconfig.build.json' },
  };
  const entries = Object.entries(projects);
  const lastApp = entries.map(([, p]) => p?.type).lastIndexOf('application');
  entries.splice(lastApp + 1, 0, [name, project]);
  config.projects = Object.fromEntries(entries);
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Adds `start:<name>` after the other start scripts.
 * @param {string} text
 * @param {string} name
 */
export function addStartScript(text, name) {
  const pkg = parse(text, PACKAGE_FILE);
  const scripts = pkg.scripts ?? {};
  const key = `start:${name}`;
  if (scripts[key]) return text;
  const entries = Object.entries(scripts);
  const lastStart = entries.map(([k]) => k.startsWith('start:')).lastIndexOf(true);
  entries.splice(lastStart < 0 ? entries.length : lastStart + 1, 0, [key, `node dist/apps/${name}/src/main.js`]);
  pkg.scripts = Object.fromEntries(entries);
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function parse(text, file) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SchematicsException(`${file} is not valid JSON (${/** @type {Error} */ (error).message}); service-app edits it.`);
  }
}
