'use strict';
// node --test: the Picsellia mock's image, started by Testcontainers, answers a client's
// login, predict (multipart), monitoring post and journal read.
// PICSELLIA_MOCK_IMAGE names the image (default picsellia-mock:latest, built from the Dockerfile
// at the repository's root).
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { GenericContainer, Wait } = require('testcontainers');

const IMAGE = process.env.PICSELLIA_MOCK_IMAGE || 'picsellia-mock:latest';
// A 1 x 1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64');

let container;
let base;

before(async () => {
  container = await new GenericContainer(IMAGE)
    .withExposedPorts(8080)
    // Wait on the health route over HTTP (the default port wait runs commands in the container).
    .withWaitStrategy(Wait.forHttp('/__admin/health', 8080).forStatusCode(200))
    .withStartupTimeout(30_000)
    .start();
  base = `http://${container.getHost()}:${container.getMappedPort(8080)}`;
});

after(async () => {
  if (container) await container.stop({ timeout: 2_000 });
});

async function call(method, path, { body, headers = {} } = {}) {
  const response = await fetch(base + path, { method, body, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function login(path, deployment) {
  const body = JSON.stringify({ api_token: deployment.api_tokens[0], deployment_id: deployment.id });
  const answer = await call('POST', path, { body });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(typeof answer.body.jwt, 'string');
  return { Authorization: `Bearer ${answer.body.jwt}` };
}

test('login, predict, monitor, then the journal shows those four calls', async () => {
  const listed = await call('GET', '/__admin/deployments');
  assert.equal(listed.status, 200);
  const deployment = listed.body.deployments.find((d) => d.type === 'OBJECT_DETECTION');
  assert.ok(deployment, 'the demo deployments include an OBJECT_DETECTION one');

  const serving = await login('/api/login', deployment);
  const form = new FormData();
  form.append('tags', 'testcontainers');
  form.append('media', new Blob([PNG]), 'frame.png');
  const predicted = await call('POST', `/api/deployments/${deployment.id}/predict`,
    { body: form, headers: serving });
  assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
  const raw = predicted.body.raw_predictions;
  assert.ok(Array.isArray(raw.detection_boxes), JSON.stringify(predicted.body));

  const monitoring = await login('/api/auth/login', deployment);
  const payload = {
    filename: 'frame.png', content_type: 'image/png', width: 1, height: 1,
    image: PNG.toString('base64'), raw_predictions: raw, latency: 0.05, tags: [],
  };
  const monitored = await call('POST', `/api/deployment/${deployment.id}/predictions`,
    { body: JSON.stringify(payload), headers: monitoring });
  assert.equal(monitored.status, 201, JSON.stringify(monitored.body));
  assert.equal(typeof monitored.body.id, 'string');

  const journal = await call('GET', '/__admin/requests?order=oldest');
  assert.equal(journal.status, 200);
  const seen = journal.body.entries
    .filter((e) => e.service !== 'admin')
    .map((e) => `${e.method} ${e.path.replace(deployment.id, '{id}')} ${e.status}`);
  assert.deepEqual(seen, [
    'POST /api/login 200',
    'POST /api/deployments/{id}/predict 200',
    'POST /api/auth/login 200',
    'POST /api/deployment/{id}/predictions 201',
  ]);
});
