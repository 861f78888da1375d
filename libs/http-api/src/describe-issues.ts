import type { z } from 'zod';
import { fieldName, type FieldError } from './field-error.js';
import type { InputLocation } from './input-location.js';

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue;

const ARTICLE_TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  date: 'a date',
};

/**
 * Zod's per-parse error map: the reason of each issue as a predicate on the
 * field ("must be a string"), so the caller can put the field's name in front.
 * A message set on the schema itself (say, a pattern's "may contain only
 * letters, digits, - and _") takes precedence over this one.
 */
export function reasonMap(location: InputLocation): (issue: RawIssue) => string {
  return (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return 'is required';
        if (location === 'query' && Array.isArray(issue.input)) return 'must be given once';
        return `must be ${ARTICLE_TYPES[issue.expected] ?? issue.expected}`;
      case 'too_small':
        return bound(issue.origin, 'at least', 'more than', issue.minimum, issue.inclusive);
      case 'too_big':
        return bound(issue.origin, 'at most', 'less than', issue.maximum, issue.inclusive);
      case 'invalid_format':
        return formatReason(issue.format, (issue as { pattern?: string }).pattern);
      case 'invalid_value':
        return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
      case 'not_multiple_of':
        return `must be a multiple of ${String(issue.divisor)}`;
      case 'unrecognized_keys':
        return 'is not a known field';
      default:
        return 'is not valid';
    }
  };
}

function bound(origin: string, inclusiveWord: string, exclusiveWord: string, limit: unknown, inclusive = true): string {
  const word = inclusive ? inclusiveWord : exclusiveWord;
  if (origin === 'string') return `must be ${word} ${String(limit)} characters long`;
  if (origin === 'array' || origin === 'set') return `must have ${word} ${String(limit)} items`;
  return `must be ${word} ${String(limit)}`;
}

function formatReason(format: string, pattern: string | undefined): string {
  switch (format) {
    case 'uuid':
    case 'guid':
      return 'must be a UUID';
    case 'datetime':
      return 'must be an ISO 8601 date-time with a time zone (2026-11-22T10:15:30Z)';
    case 'regex':
      return `must match ${pattern ?? 'its pattern'}`;
    default:
      return `must be a valid ${format}`;
  }
}

/**
 * The issues of one failed parse as field errors: one per field (the first,
 * so a wrong type is reported rather than the range checks behind it), one per
 * unknown key, each naming its field.
 */
export function toFieldErrors(issues: readonly Issue[], location: InputLocation, root: string): FieldError[] {
  const errors = new Map<string, FieldError>();
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(errors, join(base, key) || root, 'unknown_field', issue.message);
      continue;
    }
    add(errors, base || root, ruleOf(issue, location), issue.message);
  }
  return [...errors.values()];
}

function add(errors: Map<string, FieldError>, path: string, rule: string, predicate: string): void {
  const field = fieldName(path);
  if (!errors.has(field)) errors.set(field, { field, rule, reason: `${field} ${predicate}` });
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function ruleOf(issue: Issue, location: InputLocation): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      if (location === 'query' && Array.isArray(issue.input)) return 'single';
      return 'type';
    case 'too_small':
      return 'min';
    case 'too_big':
      return 'max';
    case 'invalid_format':
      return 'format';
    case 'invalid_value':
      return 'enum';
    case 'not_multiple_of':
      return 'multiple_of';
    case 'custom':
      return (issue.params?.['rule'] as string | undefined) ?? 'custom';
    default:
      return 'invalid';
  }
}
