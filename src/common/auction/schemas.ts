import * as z from 'zod';

/**
 * What a bidder returns. Sent as the response format where the model supports structured output, and described
 * in the prompt for every model; the tolerant parser maps looser replies onto the same shape.
 */
export const BidSchema = z.object({
  summary: z.string().describe('One sentence: the approach.'),
  steps: z.array(z.string()).min(1).describe('Ordered, concrete steps.'),
  files: z.array(z.string()).describe('Workspace-relative paths the work is expected to read or change.'),
  risks: z.array(z.string()).describe('What could go wrong, and the pitfalls to avoid.'),
  verification: z.array(z.string()).describe('How the work will be checked (tests, build, manual checks).'),
});
export type BidReply = z.infer<typeof BidSchema>;

const likert = z.number().min(0).max(5);

/** What a juror returns for one bid: an overall 0–5 score, optional per-criterion scores, a short rationale. */
export const JudgementSchema = z.object({
  correctness: likert.optional().describe('Is the approach right for the task? 0–5.'),
  fit: likert.optional().describe('Does it fit the codebase and its conventions? 0–5.'),
  risk: likert.optional().describe('5 = low risk of breaking things, 0 = reckless.'),
  verifiability: likert.optional().describe('Will the work be checked convincingly? 0–5.'),
  score: likert.describe('Overall 0–5.'),
  rationale: z.string().describe('At most two sentences.'),
});
export type JudgementReply = z.infer<typeof JudgementSchema>;

/** What a juror returns when it scores every bid of the auction in one call: one entry per plan label. */
export const BatchJudgementSchema = z.object({
  judgements: z
    .array(JudgementSchema.extend({ label: z.string().describe('The plan\'s label, as given in the prompt (A, B, …).') }))
    .describe('One entry per plan, in any order.'),
});
export type BatchJudgementReply = z.infer<typeof BatchJudgementSchema>;
