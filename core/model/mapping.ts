import { z } from 'zod';

/** Platform term → ConnectWise term a mapping is about (DESIGN §3.1). */
export const MappingKind = z.enum(['organization', 'offer', 'contract']);
export type MappingKind = z.infer<typeof MappingKind>;

export const MappingSource = z.enum(['captured', 'user']);
export type MappingSource = z.infer<typeof MappingSource>;

/** Platform name → ConnectWise name (organization → company, offer → product, contract → agreement). */
export const Mapping = z.object({
  kind: MappingKind,
  platform: z.string().min(1),
  cw: z.string().min(1),
  cwId: z.number().int().optional(),
  source: MappingSource,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mapping = z.infer<typeof Mapping>;

/** One Platform name seen mapped to more than one ConnectWise name (or the reverse). */
export const MappingConflict = z.object({
  kind: MappingKind,
  side: z.enum(['platform', 'cw']),
  name: z.string(),
  candidates: z.array(z.object({ name: z.string(), source: MappingSource, count: z.number().int() })),
});
export type MappingConflict = z.infer<typeof MappingConflict>;

/** What a page's name is mapped to on the other system, for the in-page tooltips. */
export const EntityLookup = z.object({
  name: z.string(),
  /** Which side the name was seen on. */
  side: z.enum(['platform', 'cw']),
  kind: MappingKind,
  /** The names on the other side it maps to; empty when unmapped. */
  mappedTo: z.array(z.string()),
});
export type EntityLookup = z.infer<typeof EntityLookup>;
