/**
 * Dead letters through orders-api's REST API, and the "exactly these" check:
 * the demo's implementation, so that the demo and the chaos tests judge dead
 * letters the same way.
 */
export {
  compareDeadLetters,
  describeDeadLetter,
  listDeadLetters,
  type DeadLetterSummary,
  type DeadLetterVerdict,
  type ExpectedDeadLetter,
} from '../../../tools/demo/src/dead-letters.js';
