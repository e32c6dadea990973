import { z } from 'zod';

const Term = z.string().trim().min(1);

/** Validates entries that come from outside the code: storage, imports, the editor. */
export const DictionaryEntrySchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['entity', 'field']),
  platform: Term,
  connectwise: Term,
  aliases: z.object({ platform: z.array(Term).optional(), connectwise: z.array(Term).optional() }).optional(),
  explanation: Term,
  guideSection: z.string(),
  origin: z.enum(['builtin', 'user']).optional(),
});

/** What the user types in the dictionary editor; id and origin are assigned on parse. */
export const UserDictionaryEntrySchema = DictionaryEntrySchema.omit({ id: true, origin: true }).extend({
  id: z.string().min(1).optional(),
  kind: z.enum(['entity', 'field']).default('field'),
  guideSection: z.string().default('Your own entry'),
});
export type UserDictionaryEntry = z.input<typeof UserDictionaryEntrySchema>;
