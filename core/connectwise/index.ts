/** ConnectWise REST client (DESIGN §5): hosts, auth, paging, retries, validation, the pull plan. */
export {
  createCwClient,
  DEFAULT_RETRY,
  DEFAULT_LIMITS,
  type CwClient,
  type CwClientOptions,
  type ListOptions,
  type ListLimits,
  type ListResult,
  type RejectedRecord,
  type Paging,
  type RetryOptions,
  type Sleep,
} from './client';
export { pullBundle, type PullOptions, type PullProgress } from './pull';
export { testConnection, type ConnectionResult } from './connection';
export { CwApiError, isAbortError, type CwErrorCode } from './errors';
export { cond, Condition, buildQuery, encodeQueryValue, literal, dateLiteral, stringLiteral, type CondValue } from './conditions';
export { resolveApiHost, isLoopbackHost, normaliseCodebase, type ApiHost } from './hosts';
export { parseLinkHeader, linkParam } from './links';
export {
  REQUIRED_PERMISSIONS,
  SecuritySetting,
  findPermissionGaps,
  permissionForPath,
  describePermission,
  type SecuritySettings,
  type PermissionGap,
  type RequiredPermission,
  type Level,
  type Right,
} from './permissions';
export { CompanyInfo, SystemInfo, FinanceCurrency } from './schemas';
