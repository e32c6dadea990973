import { z } from 'zod';
import { compactKey } from '../shared/text';

/**
 * The Security Role matrix of the setup guide (section 10): what the Platform's API member must be
 * granted. "None" means the guide does not need that right, so any level passes.
 */
export type Level = 'None' | 'My' | 'All';
export type Right = 'add' | 'edit' | 'delete' | 'inquire';

export interface RequiredPermission {
  module: string;
  functionName: string;
  add: Level;
  edit: Level;
  delete: Level;
  inquire: Level;
}

export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  { module: 'Companies', functionName: 'Company Maintenance', add: 'All', edit: 'All', delete: 'None', inquire: 'All' },
  { module: 'Companies', functionName: 'Contacts', add: 'All', edit: 'All', delete: 'None', inquire: 'All' },
  { module: 'Finance', functionName: 'Accounting Interface', add: 'All', edit: 'All', delete: 'None', inquire: 'All' },
  { module: 'Finance', functionName: 'Agreement Invoicing', add: 'All', edit: 'None', delete: 'None', inquire: 'All' },
  { module: 'Finance', functionName: 'Agreement Sales', add: 'All', edit: 'All', delete: 'All', inquire: 'All' },
  { module: 'Finance', functionName: 'Agreements', add: 'All', edit: 'None', delete: 'All', inquire: 'All' },
  { module: 'Procurement', functionName: 'Product Catalog', add: 'All', edit: 'All', delete: 'All', inquire: 'All' },
  { module: 'Procurement', functionName: 'Products', add: 'All', edit: 'All', delete: 'All', inquire: 'All' },
];

const LevelValue = z.string().nullish();

/** One row of `/system/mySecurity` or `/system/securityroles/{id}/settings` (extra fields kept). */
export const SecuritySetting = z.looseObject({
  id: z.number().int().optional(),
  moduleIdentifier: z.string().nullish(),
  moduleName: z.string().nullish(),
  moduleDescription: z.string().nullish(),
  moduleFunctionIdentifier: z.string().nullish(),
  moduleFunctionName: z.string().nullish(),
  moduleFunctionDescription: z.string().nullish(),
  addLevel: LevelValue,
  editLevel: LevelValue,
  deleteLevel: LevelValue,
  inquireLevel: LevelValue,
});
export type SecuritySetting = z.infer<typeof SecuritySetting>;
export type SecuritySettings = SecuritySetting[];

export interface PermissionGap {
  module: string;
  functionName: string;
  right: Right;
  required: Level;
  /** What the role grants; 'missing' when the function is not in the role at all. */
  actual: Level | 'missing';
  /** e.g. `Finance → Agreements: Inquire must be All (is My)` */
  message: string;
}

const RANK: Record<Level, number> = { None: 0, My: 1, All: 2 };
const RIGHTS: Right[] = ['add', 'edit', 'delete', 'inquire'];

function toLevel(value: string | null | undefined): Level {
  const key = compactKey(value ?? '');
  return key === 'all' ? 'All' : key === 'my' ? 'My' : 'None';
}

function label(right: Right): string {
  return right[0]!.toUpperCase() + right.slice(1);
}

export function describePermission(p: { module: string; functionName: string }, right: Right, level: Level): string {
  return `${p.module} → ${p.functionName}: ${label(right)} = ${level}`;
}

function findSetting(settings: readonly SecuritySetting[], need: RequiredPermission): SecuritySetting | undefined {
  const moduleKey = compactKey(need.module);
  const fnKey = compactKey(need.functionName);
  return settings.find((s) => {
    const modules = [s.moduleName, s.moduleDescription, s.moduleIdentifier].map((v) => compactKey(v ?? ''));
    const fns = [s.moduleFunctionName, s.moduleFunctionDescription, s.moduleFunctionIdentifier].map((v) => compactKey(v ?? ''));
    return modules.includes(moduleKey) && fns.includes(fnKey);
  });
}

/** Every right the guide's matrix asks for that the given role settings do not grant. */
export function findPermissionGaps(settings: readonly SecuritySetting[], required: readonly RequiredPermission[] = REQUIRED_PERMISSIONS): PermissionGap[] {
  const gaps: PermissionGap[] = [];
  for (const need of required) {
    const setting = findSetting(settings, need);
    for (const right of RIGHTS) {
      const want = need[right];
      if (want === 'None') continue;
      const actual: Level | 'missing' = setting ? toLevel(setting[`${right}Level`]) : 'missing';
      if (actual !== 'missing' && RANK[actual] >= RANK[want]) continue;
      const shown = actual === 'missing' ? 'not in the role' : `is ${actual}`;
      gaps.push({
        module: need.module,
        functionName: need.functionName,
        right,
        required: want,
        actual,
        message: `${need.module} → ${need.functionName}: ${label(right)} must be ${want} (${shown})`,
      });
    }
  }
  return gaps;
}

/** The permission a read of this API path needs, for explaining a 403. */
export function permissionForPath(path: string): { module: string; functionName: string; right: Right; level: Level; inGuide: boolean } {
  const p = path.toLowerCase();
  if (p.startsWith('/company/')) return { module: 'Companies', functionName: 'Company Maintenance', right: 'inquire', level: 'All', inGuide: true };
  if (p.startsWith('/finance/agreements')) return { module: 'Finance', functionName: 'Agreements', right: 'inquire', level: 'All', inGuide: true };
  if (p.startsWith('/procurement/catalog')) return { module: 'Procurement', functionName: 'Product Catalog', right: 'inquire', level: 'All', inGuide: true };
  if (p.startsWith('/procurement/')) return { module: 'Procurement', functionName: 'Products', right: 'inquire', level: 'All', inGuide: true };
  if (p.startsWith('/finance/invoices') || p.startsWith('/finance/agreementrecap')) {
    return { module: 'Finance', functionName: 'Agreement Invoicing', right: 'inquire', level: 'All', inGuide: true };
  }
  if (p.startsWith('/finance/')) return { module: 'Finance', functionName: 'Accounting Interface', right: 'inquire', level: 'All', inGuide: true };
  return { module: 'System', functionName: 'Table Setup', right: 'inquire', level: 'All', inGuide: false };
}
