'use strict';
// node --test examples/node/client.test.js: what needs no mock server.
const assert = require('node:assert/strict');
const http = require('node:http');
const { test } = require('node:test');
const client = require('./client');

const u16 = (n) => [n >> 8, n & 0xff];
const u32 = (n) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
// A PNG header: signature, then the IHDR chunk (length 13, width, height, depth, colour...).
const png = (width, height) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
  ...u32(13), ...Buffer.from('IHDR'), ...u32(width), ...u32(height), 8, 2, 0, 0, 0, 0, 0, 0, 0]);
// A JPEG header: SOI, APP0, a DHT (C4: not a frame), a fill byte, then a progressive SOF2.
const jpeg = (width, height) => Buffer.from([0xff, 0xd8,
  0xff, 0xe0, ...u16(16), ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0,
  0xff, 0xc4, ...u16(4), 0, 0,
  0xff, 0xff, 0xc2, ...u16(17), 8, ...u16(height), ...u16(width),
  3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);

test('the size of a PNG is read from its IHDR chunk', () => {
  assert.equal(client.sniffContentType(png(640, 480)), 'image/png');
  assert.deepEqual(client.imageSize(png(640, 480)), [640, 480]);
});

test('the size of a JPEG is read from its first start-of-frame marker, not from DHT', () => {
  assert.equal(client.sniffContentType(jpeg(1920, 1080)), 'image/jpeg');
  assert.deepEqual(client.imageSize(jpeg(1920, 1080)), [1920, 1080]);
});

test('bytes that are not a PNG or JPEG, or are cut short, have no size', () => {
  assert.equal(client.imageSize(Buffer.from('GIF89a\x01\x00\x01\x00')), null);
  assert.equal(client.imageSize(png(640, 480).subarray(0, 20)), null);
  assert.equal(client.imageSize(jpeg(640, 480).subarray(0, 30)), null);
  assert.equal(client.imageSize(png(0, 480)), null);
});

test('a monitoring payload has padded standard base64, the header type and size, [] tags', () => {
  const image = Buffer.concat([png(4, 3), Buffer.from([0xfb, 0xff, 0xbf, 0xfe])]);
  const monitoring = new client.MonitoringClient('http://127.0.0.1:9', 'dep', 'token');
  const raw = { detection_classes: [], detection_scores: [], detection_boxes: [] };
  const payload = monitoring.buildPayload(image, raw, 0.5, { filename: 'f.png', source: 'cam' });
  // The bytes give '+', '/' and '==': the standard alphabet, padded, without line breaks.
  assert.match(payload.image, /^[A-Za-z0-9+/]+==$/);
  assert.match(payload.image, /\+.*\//);
  assert.deepEqual(Buffer.from(payload.image, 'base64'), image);
  assert.deepEqual(payload, { filename: 'f.png', content_type: 'image/png', height: 3, width: 4,
    image: payload.image, raw_predictions: raw, latency: 0.5, tags: [], source: 'cam' });
  const given = monitoring.buildPayload(jpeg(8, 6), raw, 1, { content_type: 'IMAGE/JPEG' });
  assert.equal(given.content_type, 'IMAGE/JPEG');
  const gif = Buffer.from('GIF89a');
  assert.throws(() => monitoring.buildPayload(gif, raw, 1), client.RequestInvalid);
});

/** A local server answering from `script` (path -> list of [status, body, headers], the last
 *  one repeated) and keeping each request's method, path, headers and raw body. */
async function withServer(script, run) {
  const seen = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const { method, url, headers } = request;
      seen.push({ method, path: url, headers, body: Buffer.concat(chunks) });
      const answers = script[url.split('?')[0]];
      const [status, body, extra] = answers.length > 1 ? answers.shift() : answers[0];
      response.writeHead(status, { 'Content-Type': 'application/json', ...extra });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${server.address().port}`, seen);
  } finally {
    server.close();
  }
}
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

test('predict sends text parts, a tags part per tag, then media with no Content-Type', async () => {
  const script = {
    '/api/login': [[200, { jwt: 'j1', expires: inAnHour() }]],
    '/api/deployments/d/predict': [[200, { ok: 1 }]],
  };
  await withServer(script, async (host, seen) => {
    const serving = new client.ServingClient(host, 'd', 'token');
    const options = { filename: 'a"b.png', tags: ['x', 'y'], source: 's', upload_dir: 'u',
      metadata: { k: 1 }, custom_metadata: {} };
    assert.deepEqual(await serving.predict(png(2, 2), options), { ok: 1 });
    const [login, predict] = seen;
    assert.equal(login.headers['content-type'], undefined); // as the SDK: JSON, no Content-Type
    assert.deepEqual(JSON.parse(login.body), { api_token: 'token', deployment_id: 'd' });
    assert.equal(predict.headers.authorization, 'Bearer j1');
    const contentType = predict.headers['content-type'];
    const [, boundary] = contentType.match(/^multipart\/form-data; boundary=(.+)$/);
    const parts = predict.body.toString('latin1').split(`--${boundary}`);
    assert.equal(parts.pop(), '--\r\n');
    const head = (name) => `\r\nContent-Disposition: form-data; name="${name}"`;
    const text = (name, value) => `${head(name)}\r\n\r\n${value}\r\n`;
    const file = png(2, 2).toString('latin1');
    const media = `${head('media')}; filename="a%22b.png"\r\n\r\n${file}\r\n`;
    assert.deepEqual(parts, ['', text('tags', 'x'), text('tags', 'y'), text('monitor', 'True'),
      text('postprocess', 'False'), text('source', 's'), text('upload_dir', 'u'),
      text('metadata', '{"k":1}'), media]);
  });
});

test('a 401 logs in again and replays once; 503 is retried, 500 is not', async () => {
  const script = {
    '/api/auth/login': [[200, { jwt: 'old', expires: inAnHour() }],
      [200, { jwt: 'new', expires: inAnHour() }]],
    '/api/deployment/d': [[401, { message: 'expired' }], [503, {}, { 'Retry-After': '0' }],
      [200, { id: 'd' }], [500, { message: 'boom', problems: [{ code: 'internal_error' }] }]],
  };
  await withServer(script, async (host, seen) => {
    const monitoring = new client.MonitoringClient(host, 'd', 'token', { sleep: async () => {} });
    assert.deepEqual(await monitoring.deploymentInfo(), { id: 'd' });
    const error = await monitoring.deploymentInfo().catch((caught) => caught);
    assert.ok(error instanceof client.ServiceError);
    assert.deepEqual([error.status, error.code], [500, 'internal_error']);
    const calls = seen.map((r) => `${r.path} ${r.headers.authorization || ''}`.trim());
    const [old, renewed] = ['/api/deployment/d Bearer old', '/api/deployment/d Bearer new'];
    assert.deepEqual(calls, ['/api/auth/login', old, '/api/auth/login', renewed, renewed, renewed]);
  });
});

test('a token that expires within the margin is renewed before the call', async () => {
  const soon = Math.floor(Date.now() / 1000) + 30;
  const script = {
    '/api/auth/login': [[200, { jwt: 'j', expires: soon }]],
    '/api/deployment/d': [[200, {}]],
  };
  await withServer(script, async (host, seen) => {
    const monitoring = new client.MonitoringClient(host, 'd', 'token');
    await monitoring.deploymentInfo();
    await monitoring.deploymentInfo();
    assert.equal(seen.filter((r) => r.path === '/api/auth/login').length, 2);
  });
});
