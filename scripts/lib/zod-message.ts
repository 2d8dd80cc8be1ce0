import type { ZodError } from 'zod';

/** The first problem of a failed validation as one line: `field.path: message`. */
export function zodMessage(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}
