/** No dead letter has this id. */
export class DeadLetterNotFoundError extends Error {
  override readonly name = 'DeadLetterNotFoundError';
  constructor(readonly id: string) {
    super(`dead letter ${id} not found`);
  }
}

/** The operation is not allowed in the dead letter's status (or state): a conflict, not a bad request. */
export class DeadLetterConflictError extends Error {
  override readonly name = 'DeadLetterConflictError';
}
