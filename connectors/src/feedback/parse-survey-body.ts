import type { ParseSurveyBody } from '../serve/create-automation-server.ts';
import { joinIssuePath } from '../../../shared/src/index.ts';
import { toFeedbackEvent } from './to-feedback-event.ts';

export const MAX_ANSWERS_PER_REQUEST = 100;

/**
 * The survey endpoint's body: one answer object, or `{ "answers": [ … ] }` with up to 100. All or nothing:
 * one invalid answer refuses the request, and every problem is listed with its index.
 */
export const parseSurveyBody: ParseSurveyBody = (body) => {
  const list: unknown[] | undefined =
    typeof body === 'object' && body !== null && !Array.isArray(body) && 'answers' in body
      ? Array.isArray(body.answers)
        ? (body as { answers: unknown[] }).answers
        : undefined
      : [body];
  if (list === undefined || list.length === 0) {
    return {
      ok: false,
      issues: [{ path: 'answers', message: 'answers must be a non-empty list of answer objects.' }],
    };
  }
  if (list.length > MAX_ANSWERS_PER_REQUEST) {
    return {
      ok: false,
      issues: [
        {
          path: 'answers',
          message: `at most ${MAX_ANSWERS_PER_REQUEST} answers per request (got ${list.length}).`,
        },
      ],
    };
  }
  const single = list.length === 1 && !(typeof body === 'object' && body !== null && 'answers' in body);
  const issues: { path: string; message: string }[] = [];
  const events = [];
  for (const [index, item] of list.entries()) {
    const prefix = single ? '' : `answers[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      issues.push({ path: prefix || '(body)', message: 'an answer is a JSON object.' });
      continue;
    }
    const parsed = toFeedbackEvent(item as Record<string, unknown>, 'survey_api');
    if (parsed.ok) events.push(parsed.event);
    else
      for (const issue of parsed.issues)
        issues.push({ path: joinIssuePath(prefix, issue.path), message: issue.message });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, events };
};
