// The operator's actions: the admin token, a confirmation in the page before each call, and the API's answer.
import { adminCall, adminToken } from './api.js';
import { fill, h, messageOf } from './dom.js';

const $ = (id) => document.getElementById(id);

/**
 * Enables each action button (`button.action`) only with a token entered and when its view says it applies
 * (`data-ready="true"`): before the token, the page only reads.
 */
export function refreshActions() {
  const token = adminToken.get();
  for (const button of document.querySelectorAll('button.action')) {
    button.disabled = !token || button.dataset.ready !== 'true';
  }
  document.body.dataset.token = token ? 'set' : 'none';
  $('token-state').textContent = token
    ? 'admin token entered: actions enabled'
    : 'read-only: enter the admin token to act';
  $('token-forget').hidden = !token;
}

/** Shows an API answer: what was called, its HTTP status, and its message. */
export function showAnswer(label, method, path, answer) {
  const ok = answer.status >= 200 && answer.status < 300;
  const box = $('answer');
  box.dataset.status = String(answer.status);
  box.dataset.ok = String(ok);
  fill(
    box,
    h('strong', {
      text: `${label}: ${answer.status || 'not sent'}${answer.body?.error ? ` ${answer.body.error}` : ''}`,
    }),
    h('span', { class: 'call', text: ` ${method} ${path}` }),
    h('div', { class: 'message', text: messageOf(answer) }),
  );
}

/** Asks in the page's own dialog; resolves true on Confirm, false on Cancel or Escape. */
export function confirmInPage(question) {
  const dialog = $('confirm');
  $('confirm-text').textContent = question;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}

/** Confirms, then calls the admin API with the token and shows its answer. */
export async function runAction({ label, method, path, body, question }) {
  if (!adminToken.get()) return;
  if (!(await confirmInPage(question))) {
    showAnswer(label, method, path, { status: 0, body: { message: 'cancelled: nothing was sent' } });
    return;
  }
  try {
    showAnswer(label, method, path, await adminCall(method, path, body));
  } catch (err) {
    showAnswer(label, method, path, { status: 0, body: { error: 'network', message: String(err) } });
  }
}

/**
 * The token form: the token is checked against the admin API (a read) and kept in sessionStorage only if the
 * API accepts it; the form never submits, so the token never reaches a URL.
 */
export function initTokenForm(onChange) {
  const form = $('token-form');
  const input = $('token-input');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    input.value = '';
    if (!token) return;
    const answer = await adminCall('GET', '/admin/drain/status', undefined, token);
    if (answer.status === 200) adminToken.set(token);
    showAnswer(
      answer.status === 200 ? 'Token accepted' : 'Token refused',
      'GET',
      '/admin/drain/status',
      answer,
    );
    refreshActions();
    onChange();
  });
  $('token-forget').addEventListener('click', () => {
    adminToken.clear();
    refreshActions();
    onChange();
  });
  $('confirm-cancel').addEventListener('click', () => $('confirm').close('cancel'));
  $('confirm-ok').addEventListener('click', () => $('confirm').close('confirm'));
  refreshActions();
}
