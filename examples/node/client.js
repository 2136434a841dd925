'use strict';
// A Node 20 port of reference_client/, with no dependencies. See README.md beside this file.
//
// PicselliaError
//  +-- RequestInvalid      the client refused to send (no image file, not a PNG or JPEG, ...)
//  +-- TransportError      no answer: the connection failed
//  |    +-- Timeout        no answer within the timeout
//  +-- ServiceError        the service answered an error: status, code, message, problems
//       +-- AlreadyProcessed   409: this prediction (or shadow) was already stored
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

class PicselliaError extends Error {
  constructor(message, problems = []) {
    super(message);
    this.name = new.target.name;
    this.problems = problems;
    this.code = problems.length ? problems[0].code : null;
  }
}
class RequestInvalid extends PicselliaError {}
class TransportError extends PicselliaError {}
class Timeout extends TransportError {}
class ServiceError extends PicselliaError {
  constructor(status, message, problems = []) {
    super(`${status}: ${message}`, problems);
    this.status = status;
  }
}
class AlreadyProcessed extends ServiceError {}

/** The RequestInvalid for one problem, shaped as the services' problems (problem.json). */
function refuse(code, pointer, message) {
  return new RequestInvalid(message, [{ code, pointer, message, severity: 'error' }]);
}

/** The error for a non-success answer, with the server's message and problems if any. */
function errorFrom(response, prefix = '') {
  let body = null;
  try { body = JSON.parse(response.text); } catch { /* not JSON: keep the text */ }
  let message = (response.text || response.statusText || 'error').slice(0, 500);
  let problems = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    message = String(body.message || body.detail || response.statusText);
    problems = Array.isArray(body.problems) ? body.problems : [];
  }
  const Kind = response.status === 409 ? AlreadyProcessed : ServiceError;
  return new Kind(response.status, prefix + message, problems);
}

// --- The image's type and size from its header bytes (picsellia_contract/images.py) ---
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
// JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd,
  0xce, 0xcf]);

/** 'image/png' or 'image/jpeg' from the magic bytes, else null. */
function sniffContentType(data) {
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.subarray(0, 3).equals(JPEG_SIGNATURE)) return 'image/jpeg';
  return null;
}

/** [width, height] read from a PNG or JPEG header, or null when it cannot be read. */
function imageSize(data) {
  const kind = sniffContentType(data);
  const size = (width, height) => (width && height ? [width, height] : null);
  if (kind === 'image/png') {
    // Signature (8), chunk length (4), "IHDR" (4), then width and height, big-endian.
    if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return null;
    return size(data.readUInt32BE(16), data.readUInt32BE(20));
  }
  let offset = 2;
  while (kind === 'image/jpeg' && offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return null;
    const marker = data[offset + 1];
    if (marker === 0xff) { // a fill byte
      offset += 1;
    } else if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // a marker without a length
    } else if (SOF_MARKERS.has(marker)) {
      if (offset + 9 > data.length) return null;
      return size(data.readUInt16BE(offset + 7), data.readUInt16BE(offset + 5));
    } else {
      const length = data.readUInt16BE(offset + 2);
      if (length < 2) return null;
      offset += 2 + length;
    }
  }
  return null;
}

/** {data, filename} of an image given as a file path or as a Buffer. */
function readImage(image, filename) {
  if (Buffer.isBuffer(image)) return { data: image, filename: filename || 'image' };
  if (typeof image !== 'string') throw refuse('missing_property', '/image', 'an image is required');
  try {
    return { data: fs.readFileSync(image), filename: filename || path.basename(image) };
  } catch (error) {
    throw new RequestInvalid(`cannot read the image file ${image}: ${error.code || error.message}`);
  }
}

// --- One service's session (reference_client/session.py) ---
const LOGIN_ROUTES = { serving: '/api/login', monitoring: '/api/auth/login' };
const isRetried = (status) => status === 429 || (status >= 501 && status <= 599);
const sleepSeconds = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
// Bodies are sent as bytes: fetch then adds no Content-Type, and the SDK sends none for JSON.
const jsonBody = (value) => Buffer.from(JSON.stringify(value));

/** Authenticated calls to one service ("serving" or "monitoring") for one deployment. */
class ServiceSession {
  constructor(service, host, deploymentId, apiToken, options = {}) {
    this.service = service;
    this.host = host.replace(/\/+$/, '');
    this.deploymentId = deploymentId;
    this.apiToken = apiToken;
    this.timeoutSeconds = options.timeoutSeconds ?? 60; // for each HTTP attempt
    this.maxRetries = options.maxRetries ?? 5;
    this.maxWaitSeconds = options.maxWaitSeconds ?? 30;
    this.refreshMarginSeconds = options.refreshMarginSeconds ?? 60;
    this.sleep = options.sleep ?? sleepSeconds;
    this.jwt = null;
    this.expires = 0; // epoch seconds
  }

  /** POST the login route (login-request.json) and keep the token (login-response.json). */
  async login() {
    const body = jsonBody({ api_token: this.apiToken, deployment_id: this.deploymentId });
    const response = await this.send('POST', LOGIN_ROUTES[this.service], { body });
    if (response.status !== 200) throw errorFrom(response);
    const answer = parseJson(response);
    this.jwt = answer.jwt;
    this.expires = Number(answer.expires);
    return answer;
  }

  /** Send an authenticated request: its JSON answer if the status is `expect`, else throw.
   *  `request` holds the optional body, contentType and query (URLSearchParams). */
  async request(method, route, expect, request = {}) {
    if (this.jwt === null || Date.now() / 1000 >= this.expires - this.refreshMarginSeconds) {
      await this.login();
    }
    let response = await this.send(method, route, { ...request, jwt: this.jwt });
    if (response.status === 401) { // the token was refused: log in again, replay once
      await this.login();
      response = await this.send(method, route, { ...request, jwt: this.jwt });
      if (response.status === 401) throw errorFrom(response, 'refused after logging in again: ');
    }
    if (response.status !== expect) throw errorFrom(response);
    return parseJson(response);
  }

  /** One call, retried on 429 and 501-599 while retries remain; the timeout covers the body. */
  async send(method, route, { body, contentType, query, jwt } = {}) {
    const search = query ? query.toString() : '';
    const url = this.host + route + (search ? '?' + search : '');
    const headers = {};
    if (jwt) headers.Authorization = 'Bearer ' + jwt;
    if (contentType) headers['Content-Type'] = contentType;
    for (let attempt = 0; ; attempt += 1) {
      let response;
      try {
        const signal = AbortSignal.timeout(this.timeoutSeconds * 1000);
        const answer = await fetch(url, { method, headers, body, signal });
        const { status, statusText } = answer;
        response = { status, statusText, headers: answer.headers, text: await answer.text() };
      } catch (error) {
        const where = `${method} ${route}`;
        if (error.name === 'TimeoutError') {
          throw new Timeout(`${where}: no answer within ${this.timeoutSeconds} s`);
        }
        const cause = error.cause?.code || error.cause?.message || error.message;
        throw new TransportError(`${where}: cannot connect (${cause})`);
      }
      if (!isRetried(response.status) || attempt === this.maxRetries) return response;
      await this.sleep(this.waitSeconds(response, attempt));
    }
  }

  /** Retry-After in seconds if the service sent one, else an exponential backoff; capped. */
  waitSeconds(response, attempt) {
    const retryAfter = (response.headers.get('retry-after') || '').trim();
    const wait = /^\d+$/.test(retryAfter) ? Number(retryAfter) : 0.5 * 2 ** attempt;
    return Math.min(wait, this.maxWaitSeconds);
  }
}

function parseJson(response) {
  try { return JSON.parse(response.text); } catch { /* below */ }
  throw new ServiceError(response.status, 'the answer is not JSON: ' + response.text.slice(0, 200));
}

/** Multipart as the SDK writes it: text parts in order, then the file part with its filename and
 *  no part Content-Type (built by hand: FormData would add `application/octet-stream`). */
function multipart(fields, fileField, filename, data) {
  const boundary = crypto.randomBytes(16).toString('hex');
  const head = (name) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
  const quoted = filename.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const chunks = fields.map(([name, value]) => Buffer.from(`${head(name)}\r\n\r\n${value}\r\n`));
  chunks.push(Buffer.from(`${head(fileField)}; filename="${quoted}"\r\n\r\n`), data);
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: 'multipart/form-data; boundary=' + boundary };
}

// --- The two services (reference_client/serving.py and monitoring.py) ---
// Per-call options carry the wire names (tags, upload_dir, custom_metadata...). A required
// argument left undefined is left out of the JSON (JSON.stringify drops it): the service says so.
const pythonBool = (value) => (value ? 'True' : 'False');
function isEmpty(value) { // Python's `not value` for the objects and lists given as options
  return value == null || (typeof value === 'object' && Object.keys(value).length === 0);
}

/** Predictions for one deployment. Each call logs in first if needed (POST /api/login). */
class ServingClient {
  constructor(host, deploymentId, apiToken, options = {}) {
    this.session = new ServiceSession('serving', host, deploymentId, apiToken, options);
    this.deploymentId = deploymentId;
  }

  /** POST /api/deployments/{id}/predict (predict-form.json) -> predict-response.json; with
   *  `singular_route: true`, the vendor guide's POST /api/deployment/{id}/predict. */
  async predict(image, options = {}) {
    const { data, filename } = readImage(image, options.filename);
    const fields = (options.tags || []).map((tag) => ['tags', tag]);
    fields.push(['monitor', pythonBool(options.monitor ?? true)]);
    fields.push(['postprocess', pythonBool(options.postprocess ?? false)]);
    for (const key of ['source', 'upload_dir']) {
      if (options[key] != null) fields.push([key, String(options[key])]);
    }
    for (const key of ['metadata', 'custom_metadata']) { // as the SDK: only when not empty
      if (!isEmpty(options[key])) fields.push([key, JSON.stringify(options[key])]);
    }
    const route = `/api/${options.singular_route ? 'deployment' : 'deployments'}/`;
    const request = multipart(fields, 'media', filename, data);
    return this.session.request('POST', route + this.deploymentId + '/predict', 200, request);
  }

  /** POST /api/v2/deployments/{id}/predict (predict-v2-request.json) -> predict-response.json. */
  async predictCloudImage(cloudImage, options = {}) {
    const body = { tags: options.tags || [], monitor: options.monitor ?? true,
      postprocess: options.postprocess ?? false };
    if (options.source != null) body.source = options.source;
    if (!isEmpty(options.metadata)) body.metadata = options.metadata;
    if (!isEmpty(options.custom_metadata)) body.custom_metadata = options.custom_metadata;
    body.cloud_image = cloudImage;
    const route = `/api/v2/deployments/${this.deploymentId}/predict`;
    return this.session.request('POST', route, 200, { body: jsonBody(body) });
  }

  /** POST /api/v2/deployments/{id}/predict/shadow (predict-shadow-v2-request.json). */
  async predictShadow(predictionId, cloudImage, options = {}) {
    const { monitor = true } = options;
    const body = { prediction_id: predictionId, monitor, cloud_image: cloudImage };
    const route = `/api/v2/deployments/${this.deploymentId}/predict/shadow`;
    return this.session.request('POST', route, 200, { body: jsonBody(body) });
  }
}

const MONITOR_OPTIONS = ['source', 'upload_dir', 'metadata', 'custom_metadata', 'custom_metrics',
  'timestamp', 'sample', 'shadow_raw_predictions', 'shadow_latency'];

/** Monitoring for one deployment. Each call logs in first if needed (POST /api/auth/login). */
class MonitoringClient {
  constructor(host, deploymentId, apiToken, options = {}) {
    this.session = new ServiceSession('monitoring', host, deploymentId, apiToken, options);
    this.deploymentId = deploymentId;
  }

  /** The monitoring-prediction-request.json body for an image and its prediction. The content
   *  type comes from the magic bytes and width/height from the header, unless given; `tags` is
   *  always sent (`[]` when none), the other options only when given. */
  buildPayload(image, rawPredictions, latency, options = {}) {
    const { data, filename } = readImage(image, options.filename);
    const contentType = sniffContentType(data);
    const size = imageSize(data);
    if (contentType === null || size === null) {
      throw refuse('image_not_png_or_jpeg', '/image', 'the file is not a readable PNG or JPEG');
    }
    const payload = { filename, content_type: options.content_type ?? contentType,
      height: options.height ?? size[1], width: options.width ?? size[0],
      image: data.toString('base64'), // the standard alphabet, padded, no line breaks
      raw_predictions: rawPredictions, latency, tags: options.tags || [] };
    for (const key of MONITOR_OPTIONS) if (options[key] != null) payload[key] = options[key];
    return payload;
  }

  /** POST /api/deployment/{id}/predictions -> 201 monitoring-prediction-response.json; a 409
   *  throws AlreadyProcessed. */
  async monitor(payload) {
    const route = `/api/deployment/${this.deploymentId}/predictions`;
    return this.session.request('POST', route, 201, { body: jsonBody(payload) });
  }

  /** POST /api/prediction/{prediction_id}/shadow (shadow-request.json) -> 201. */
  async shadow(predictionId, shadowRawPredictions, shadowLatency) {
    if (typeof predictionId !== 'string' || !predictionId) {
      throw refuse('missing_property', '/prediction_id', 'a prediction id is required');
    }
    const body = { shadow_raw_predictions: shadowRawPredictions, shadow_latency: shadowLatency };
    const route = `/api/prediction/${encodeURIComponent(predictionId)}/shadow`;
    return this.session.request('POST', route, 201, { body: jsonBody(body) });
  }

  /** GET /api/deployment/{id} -> deployment-info-response.json. */
  async deploymentInfo() {
    return this.session.request('GET', `/api/deployment/${this.deploymentId}`, 200);
  }

  /** GET /api/deployment/{id}/stats (stats-query.json) -> stats-response.json. Lists go as
   *  repeated parameters: tags=a&tags=b. */
  async stats(service, options = {}) {
    const query = new URLSearchParams();
    if (service != null) query.append('service', service);
    for (const key of ['model_id', 'from_timestamp', 'to_timestamp', 'since']) {
      if (options[key] != null) query.append(key, String(options[key]));
    }
    for (const key of ['includes', 'excludes', 'tags']) {
      for (const value of options[key] || []) query.append(key, String(value));
    }
    const route = `/api/deployment/${this.deploymentId}/stats`;
    return this.session.request('GET', route, 200, { query });
  }
}

module.exports = {
  PicselliaError, RequestInvalid, TransportError, Timeout, ServiceError, AlreadyProcessed,
  ServiceSession, ServingClient, MonitoringClient, sniffContentType, imageSize,
};
