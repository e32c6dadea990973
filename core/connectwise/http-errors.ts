import { CwApiError } from './errors';
import { describePermission, permissionForPath } from './permissions';
import { ErrorBody } from './schemas';
import { maskSecrets, stripControls } from '../shared/text';

function bodyMessage(text: string): { code?: string; message?: string } {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (!parsed.success) return {};
    const first = parsed.data.errors?.find((e) => e.message)?.message;
    const message = [parsed.data.message, first].filter(Boolean).join(' ').trim();
    return { code: parsed.data.code ?? parsed.data.error ?? undefined, message: message || undefined };
  } catch {
    return {};
  }
}

/** Turns a non-2xx answer into the plain message a billing admin can act on. */
export function httpError(status: number, text: string, ctx: { path: string; site: string; codebase?: string; secrets?: readonly string[] }): CwApiError {
  const body = bodyMessage(text);
  const cwCode = body.code === undefined ? undefined : maskSecrets(stripControls(body.code), ctx.secrets).slice(0, 80);
  // Masked before it is cut, so a cut can never leave half a key showing.
  const cwMessage = body.message === undefined ? undefined : maskSecrets(stripControls(body.message), ctx.secrets).slice(0, 300);
  const said = cwMessage ? ` ConnectWise said: "${cwMessage}"` : '';
  const at = `${ctx.path}`;
  if (status === 401) {
    const aboutClientId = /client ?id/i.test(cwMessage ?? '');
    return new CwApiError({
      status,
      code: 'Unauthorized',
      cwCode,
      path: ctx.path,
      userMessage: aboutClientId
        ? `ConnectWise refused the clientId (401). Check the clientId registered for this integration.${said}`
        : `ConnectWise refused the API keys (401): check the company ID, the public key and the private key of the API member (System → Members → API Members → API Keys).${said}`,
    });
  }
  if (status === 403) {
    const need = permissionForPath(ctx.path);
    const where = need.inGuide ? 'the setup guide, section 10' : 'not in the setup guide matrix, but needed to read this';
    return new CwApiError({
      status,
      code: 'Forbidden',
      cwCode,
      path: ctx.path,
      userMessage: `The API member's Security Role may not read ${at} (403): grant ${describePermission(need, need.right, need.level)} (${where}), then test the connection again.`,
    });
  }
  if (status === 404) {
    return new CwApiError({
      status,
      code: 'NotFound',
      cwCode,
      path: ctx.path,
      userMessage: `Nothing found at ${ctx.site} for ${at} (404): check the site address and the codebase${ctx.codebase ? ` (${ctx.codebase})` : ''}; on ConnectWise cloud a 404 can also mean the keys belong to another company.${said}`,
    });
  }
  if (status === 429) {
    return new CwApiError({ status, code: 'RateLimited', cwCode, path: ctx.path, userMessage: `ConnectWise is rate-limiting this integration (429 on ${at}); wait a few minutes and try again.` });
  }
  if (status >= 500) {
    return new CwApiError({ status, code: 'ServerError', cwCode, path: ctx.path, userMessage: `ConnectWise had a server error (${status} on ${at}); try again later.${said}` });
  }
  if (status === 400) {
    return new CwApiError({ status, code: 'BadRequest', cwCode, path: ctx.path, userMessage: `ConnectWise rejected the request for ${at} (400).${said}` });
  }
  return new CwApiError({ status, code: 'HttpError', cwCode, path: ctx.path, userMessage: `ConnectWise answered ${status} for ${at}.${said}` });
}

/** The innermost system error code (ECONNREFUSED, ENOTFOUND…) without any request details. */
export function networkReason(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'no response';
}
