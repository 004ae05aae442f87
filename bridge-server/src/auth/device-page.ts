import type { PendingDevice } from '../services/device-sign-in.ts';

/** The server-rendered pages of device sign-in: sign in, enter the code, approve or deny. No scripts. */

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const APP_NAMES: Record<string, string> = {
  photoshop: 'Photoshop panel',
  premiere: 'Premiere Pro panel',
  figma: 'Figma plugin',
  dashboard: 'Dashboard',
  script: 'Script',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Stockroom</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem}label{display:block;margin:.75rem 0 .25rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
button{font:inherit;padding:.5rem 1rem;margin:.75rem .5rem 0 0;cursor:pointer}.code{font:600 1.5rem ui-monospace,monospace;letter-spacing:.1em}
.error{color:#b00020}.box{border:1px solid #ccc;border-radius:8px;padding:1rem}
</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escape(value)}">`;

export function signInPage(csrfToken: string, code: string, error?: string): string {
  return page(
    'Sign in to connect an app',
    `${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/auth/device/sign-in">
${hidden('_csrf', csrfToken)}${hidden('code', code)}
<label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function enterCodePage(userName: string, error?: string): string {
  return page(
    'Connect an app',
    `<p>Signed in as ${escape(userName)}.</p>${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="get" action="/auth/device">
<label for="code">Code shown in the app</label><input id="code" name="code" autocomplete="off" placeholder="ABCD-EFGH" required>
<button type="submit">Continue</button>
</form>`,
  );
}

export function approvePage(csrfToken: string, userName: string, device: PendingDevice): string {
  const app = APP_NAMES[device.clientApp] ?? device.clientApp;
  return page(
    'Connect an app?',
    `<div class="box">
<p><strong id="app">${escape(app)}</strong> on <strong id="machine">${escape(device.machine)}</strong> asks to use Stockroom as <strong>${escape(userName)}</strong>.</p>
<p>Code: <span class="code" id="user-code">${escape(device.userCode)}</span></p>
<p>Only approve if this code is shown in the app you just opened${device.address ? ` (request from ${escape(device.address)})` : ''}.</p>
</div>
<form method="post" action="/auth/device/decision">
${hidden('_csrf', csrfToken)}${hidden('code', device.userCode)}
<button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>`,
  );
}

export function donePage(approved: boolean, device: PendingDevice): string {
  const app = APP_NAMES[device.clientApp] ?? device.clientApp;
  return approved
    ? page('App connected', `<p id="result">${escape(app)} on ${escape(device.machine)} is now signed in. You can close this page and return to the app.</p>`)
    : page('Sign-in denied', `<p id="result">${escape(app)} on ${escape(device.machine)} was not signed in.</p>`);
}
