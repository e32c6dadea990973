import { z } from 'zod';

const Term = z.string().trim().min(1);

/**
 * One concept named by both systems, as the matcher, the tooltips, the panel and the protocol
 * carry it. `platform` and `connectwise` are the display terms; the matcher also finds their
 * singular/plural forms and any `aliases`, in any letter case.
 */
export const DictionaryEntry = z.object({
  id: z.string().min(1),
  kind: z.enum(['entity', 'field']),
  platform: Term,
  connectwise: Term,
  aliases: z.object({ platform: z.array(Term).optional(), connectwise: z.array(Term).optional() }).optional(),
  /** One line, our own words (a user's stored entry may have none). */
  explanation: z.string(),
  /** Where in the ConnectWise Setup Guide the pairing comes from; empty for a user's entry. */
  guideSection: z.string(),
  origin: z.enum(['builtin', 'user']).optional(),
});
export type DictionaryEntry = z.infer<typeof DictionaryEntry>;

/** Validates entries that come from outside the code (imports, the editor): each explains itself. */
export const DictionaryEntrySchema = DictionaryEntry.extend({ explanation: Term });

/** A user's entry as the panel sends it; the background assigns its id. */
export const NewDictionaryEntry = DictionaryEntry.pick({ platform: true, connectwise: true, kind: true }).extend({
  explanation: z.string().max(500),
  guideSection: z.string().max(200).optional(),
});
export type NewDictionaryEntry = z.infer<typeof NewDictionaryEntry>;

/** What the user types in the dictionary editor; id and origin are assigned on parse. */
export const UserDictionaryEntrySchema = DictionaryEntrySchema.omit({ id: true, origin: true }).extend({
  id: z.string().min(1).optional(),
  kind: z.enum(['entity', 'field']).default('field'),
  guideSection: z.string().default('Your own entry'),
});
export type UserDictionaryEntry = z.input<typeof UserDictionaryEntrySchema>;
