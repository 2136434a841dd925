'use strict';
// Certifies the client over HTTP with `node --test`: one subtest per scenario the mock serves
// (start it, perform its calls with the client, post the outcome, fail with the verdict's
// failures). The mock is the one at PICSELLIA_MOCK_URL, or one started here with
// `picsellia-mock serve --port 0` (on PATH).
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const test = require('node:test');
const { perform } = require('./adapter');

/** The mock's admin API: GET, or POST with a JSON body. */
async function admin(base, route, body) {
  const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
  const token = process.env.PICSELLIA_ADMIN_TOKEN; // a mock served with --admin-token
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = body === undefined ? { headers } : { method: 'POST', body: JSON.stringify(body), headers };
  const answer = await fetch(base + route, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await answer.text();
  assert.notEqual(answer.status, 401, `${route}: 401: the mock requires an admin token: set PICSELLIA_ADMIN_TOKEN`);
  assert.equal(answer.status, 200, `${route}: ${answer.status} ${text}`);
  return JSON.parse(text);
}

/** PICSELLIA_MOCK_URL, or the URL a mock started here prints on its first line. */
async function mockUrl(t) {
  if (process.env.PICSELLIA_MOCK_URL) return process.env.PICSELLIA_MOCK_URL.replace(/\/+$/, '');
  const binary = (process.env.PATH || '').split(path.delimiter)
    .map((dir) => path.join(dir, 'picsellia-mock')).find((file) => {
      try { fs.accessSync(file, fs.constants.X_OK); return true; } catch { return false; }
    });
  assert.ok(binary, 'set PICSELLIA_MOCK_URL to a running mock, or put picsellia-mock on PATH');
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mock-')), 'mock.sqlite3');
  const server = spawn(binary, ['serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => server.kill());
  const lines = readline.createInterface({ input: server.stdout });
  const [line] = await Promise.race([
    new Promise((resolve) => lines.once('line', (first) => resolve([first]))),
    new Promise((resolve) => server.once('exit', () => resolve([null]))),
  ]);
  assert.match(String(line), /^http/, `picsellia-mock serve printed no URL: ${line}`);
  return line.trim().split(/\s+/)[0].replace(/\/+$/, '');
}

test('every scenario the mock serves passes', async (t) => {
  const base = await mockUrl(t);
  const { scenarios } = await admin(base, '/__admin/conformance/scenarios');
  assert.ok(scenarios.length > 0, 'the mock lists no scenario');
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-')); // the action's images
  t.after(() => fs.rmSync(filesDir, { recursive: true, force: true }));
  const started = Date.now();
  const failed = [];
  for (const { name, level } of scenarios) {
    await t.test(name, async () => {
      const route = `/__admin/conformance/scenarios/${encodeURIComponent(name)}`;
      const action = await admin(base, `${route}/start`, {});
      for (const [file, data] of Object.entries(action.files)) {
        fs.writeFileSync(path.join(filesDir, file), Buffer.from(data, 'base64'));
      }
      const outcome = await perform({ ...action, files_dir: filesDir });
      const verdict = await admin(base, `${route}/grade`, { outcome });
      if (!verdict.passed) failed.push(name);
      assert.ok(verdict.passed, `${name} (${level}) failed:\n  ${verdict.failures.join('\n  ')}`);
    });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  t.diagnostic(`${scenarios.length} scenarios, ${scenarios.length - failed.length} passed, ` +
    `${failed.length} failed, in ${seconds} s`);
});
