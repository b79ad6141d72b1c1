// Sign-in: paste a token (ops, distributor or sales manager), or (embedded default, Development only) one click via
// GET /api/dev/tokens.
import { api, ApiError, errorText } from './api';
import { parseToken, type Session } from './auth';
import { h, setText } from './dom';

/** An authorized read for the token's role, to check it with the server before keeping it. */
function verifyPath(s: Session): string {
  if (s.role === 'ops') return '/api/policies';
  if (s.role === 'sales') return '/api/preorders?pageSize=1'; // scoped to its own customers by the server
  return `/api/distributors/${encodeURIComponent(s.distributorId!)}`;
}

export function signInView(message: string | undefined, onSignedIn: (s: Session) => void): HTMLElement {
  const input = h('textarea', {
    testid: 'token-input', rows: 5, spellcheck: 'false', autocomplete: 'off', required: true,
    placeholder: 'eyJhbGciOiJIUzI1NiIs…', 'aria-label': 'Token',
  });
  const error = h('p', { class: 'error', testid: 'signin-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'signin-submit' }, 'Sign in 登录');

  const fail = (text: string) => {
    setText(error, text);
    error.hidden = false;
  };

  const signIn = async (raw: string) => {
    error.hidden = true;
    const parsed = parseToken(raw);
    if ('error' in parsed) return fail(parsed.error);
    submit.disabled = true;
    try {
      // Check the token with the server before keeping it.
      await api.verify(parsed.token, verifyPath(parsed));
      onSignedIn(parsed);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) fail('The server rejected this token (expired, or signed with another key). 令牌无效。');
      else if (e instanceof ApiError && (e.status === 403 || e.status === 404)) fail(`This token cannot use the console: ${e.message}`);
      else fail(errorText(e));
    } finally {
      submit.disabled = false;
    }
  };

  const distributorId = h('input', { type: 'text', value: 'd-01', testid: 'dev-distributor-id', 'aria-label': 'Distributor id', size: 6, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*' });
  const distributorButton = h('button', { type: 'button', testid: 'signin-dev-distributor' }, 'Sign in as distributor d-01 经销商登录');
  distributorId.addEventListener('input', () => setText(distributorButton, `Sign in as distributor ${distributorId.value.trim() || '…'} 经销商登录`));
  const salesId = h('input', { type: 'text', value: 'S1', testid: 'dev-sales-id', 'aria-label': 'Sales manager id 销售经理编号', title: 'Sales manager id 销售经理编号', size: 6, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*' });
  const salesButton = h('button', { type: 'button', testid: 'signin-dev-sales' }, 'Sign in as sales manager S1 销售经理登录');
  salesId.addEventListener('input', () => setText(salesButton, `Sign in as sales manager ${salesId.value.trim() || '…'} 销售经理登录`));
  const opsButton = h('button', { type: 'button', class: 'primary', testid: 'signin-dev-ops' }, 'Sign in as ops 运营登录');
  const dev = h('div', { class: 'dev-signin', testid: 'dev-signin', hidden: true },
    h('h2', null, 'Development sign-in 开发环境快捷登录'),
    h('div', { class: 'row' }, opsButton),
    h('div', { class: 'row' }, distributorId, distributorButton),
    h('div', { class: 'row', testid: 'dev-signin-sales' }, salesId, salesButton));

  const devSignIn = async (params: Record<string, string>) => {
    error.hidden = true;
    const token = await api.devToken(params);
    if (!token) return fail('The development token endpoint is not available. 开发令牌接口不可用。');
    await signIn(token);
  };
  opsButton.addEventListener('click', () => void devSignIn({ role: 'ops' }));
  distributorButton.addEventListener('click', () => void devSignIn({ role: 'distributor', distributorId: distributorId.value.trim() }));
  salesButton.addEventListener('click', () => void devSignIn({ role: 'sales', salesId: salesId.value.trim() }));

  // Only the embedded default (Development) offers tokens; hide the buttons when it answers 404.
  void fetch('/api/dev/tokens?role=ops', { cache: 'no-store' })
    .then((r) => { dev.hidden = !r.ok; })
    .catch(() => { dev.hidden = true; });

  return h('main', { class: 'signin', testid: 'signin' },
    h('div', { class: 'signin-card' },
      h('h1', null, h('span', { class: 'logo', 'aria-hidden': 'true' }, '⇄'), ' Routing 订单路由'),
      h('p', { class: 'muted' }, 'Operations console 运营控制台 · live campaigns, allocations, stock and alerts'),
      message ? h('p', { class: 'notice', testid: 'signin-message', role: 'status' }, message) : null,
      h('form', { onsubmit: (ev: Event) => { ev.preventDefault(); void signIn(input.value); } },
        h('label', { class: 'field' }, h('span', null, 'Paste a token 粘贴令牌 (ops, distributor or sales manager 运营、经销商或销售经理)'), input),
        submit,
        error),
      dev,
      h('details', { class: 'help' },
        h('summary', null, 'Where do I get a token? 如何获取令牌？'),
        h('p', null, 'The API prints an ops token at start-up. Mint others with:'),
        h('pre', null, 'dotnet run --project api -- token --role ops\ndotnet run --project api -- token --role distributor --distributor d-01\n' +
          'dotnet run --project api -- token --role sales --sales S1')),
    ));
}
