import { BadRequestException } from '@nestjs/common';
import { nestsDeeperThan } from '@shepherd/taskqueue';

/**
 * How deep a request body may nest (arrays and objects; the body itself is level 1, so a
 * POST /tasks payload has 99 levels of its own and a batch item's payload 97). Real JSON
 * rarely goes past 20 levels, so 100 leaves room for any genuine payload, while staying far
 * below where recursive code fails: class-transformer and class-validator walk the body, and
 * JSON.stringify (of the stored record, of an answer) runs out of stack at a few thousand
 * levels, which a 4 KB body reaches (`[[[...]]]`). Bodies deeper than this get a 400 before
 * any of them sees it.
 */
export const MAX_BODY_DEPTH = 100;

/**
 * Express middleware, registered right after the JSON body parser (which is not recursive:
 * V8's JSON.parse is iterative): a body nested deeper than MAX_BODY_DEPTH is refused with a
 * 400 before validation, class-transformer or a handler touches it. Form bodies are parsed
 * later, by the urlencoded parser Nest adds, which refuses more than 32 levels itself (400).
 */
export function rejectDeepBodies(
  req: { body?: unknown },
  _res: unknown,
  next: (err?: unknown) => void,
): void {
  if (nestsDeeperThan(req.body, MAX_BODY_DEPTH))
    next(new BadRequestException(`request body is nested deeper than ${MAX_BODY_DEPTH} levels`));
  else next();
}
