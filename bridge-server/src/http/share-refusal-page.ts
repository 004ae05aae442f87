import type { ShareRefusalReason } from '../services/public-shares.ts';

const TEXT: Record<ShareRefusalReason | 'rate-limited', { title: string; message: string }> = {
  unknown: {
    title: 'This link does not work',
    message: 'There is no shared item at this address. Check that you copied the whole link, or ask whoever sent it for a new one.',
  },
  empty: { title: 'Nothing to show', message: 'What this link shared has been removed. Ask whoever sent it for a new link.' },
  expired: { title: 'This link has expired', message: 'The link was only valid for a limited time. Ask whoever sent it for a new one.' },
  revoked: { title: 'This link was turned off', message: 'Whoever shared it has revoked the link. Ask them for a new one if you still need it.' },
  password: { title: 'This link needs a password', message: 'Enter the password you were given with the link.' },
  'wrong-password': { title: 'Wrong password', message: 'That password is not right. Check it with whoever sent the link, and try again.' },
  'rate-limited': {
    title: 'Too many attempts',
    message: 'Too many wrong passwords were tried for this link from your address. Wait a few minutes and try again.',
  },
};

/**
 * The page a refused share link shows. Server-rendered from fixed text only (nothing of
 * the request is echoed but the link's secret, whose format allows only letters, digits, `_`
 * and `-`), so nothing needs escaping; the password form posts to this link.
 */
export function refusalPage(reason: ShareRefusalReason | 'rate-limited', secret?: string): { html: string; message: string } {
  const { title, message } = TEXT[reason];
  const form =
    (reason === 'password' || reason === 'wrong-password') && secret !== undefined && /^sh_[A-Za-z0-9_-]{32}$/.test(secret)
      ? `<form method="post" action="/s/${secret}/unlock" id="unlock"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Open</button></form>`
      : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${title} · Stockroom</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1a202c}
h1{font-size:1.5rem}form{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}input{padding:.4rem;font:inherit}
button{padding:.4rem 1rem;font:inherit}.reason{color:#4a5568}</style></head>
<body><main><h1>${title}</h1><p class="reason" role="${reason === 'wrong-password' ? 'alert' : 'status'}">${message}</p>${form}</main></body></html>`;
  return { html, message };
}
