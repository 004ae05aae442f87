import type { RequestHandler } from 'express';
import { inputProblem } from '../rpc/input-guard.ts';

/** After the body parsers: a body or query string with a NUL character or nested too deep is answered VALIDATION_FAILED. */
export const guardInput: RequestHandler = (req, _res, next) => {
  next(inputProblem(req.query) ?? inputProblem(req.body) ?? undefined);
};
