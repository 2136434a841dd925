'use strict';
// The conformance adapter: reads one action (JSON) on stdin, runs its calls in order through one
// client per service, prints {"results": [...]} on stdout. Diagnostics go to stderr.
const fs = require('node:fs');
const path = require('node:path');
const client = require('./client');

/** The operations of one action: each takes a call's `input` and answers the body. */
function operations(action) {
  const { deployment_id: id, api_token: token } = action;
  const options = { timeoutSeconds: action.timeout_seconds ?? 60 };
  const serving = new client.ServingClient(action.serving_url, id, token, options);
  const monitoring = new client.MonitoringClient(action.monitoring_url, id, token, options);
  // File names are relative to files_dir; an absent one stays absent (the client refuses it).
  const dir = action.files_dir ?? '.';
  const file = (name) => (typeof name === 'string' ? path.resolve(dir, name) : name);
  return {
    predict: (input) => serving.predict(file(input.image), input),
    predict_cloud_image: (input) => serving.predictCloudImage(input.cloud_image, input),
    predict_shadow: (input) => serving.predictShadow(input.prediction_id, input.cloud_image, input),
    monitor: (input) => monitoring.monitor(
      monitoring.buildPayload(file(input.image), input.raw_predictions, input.latency, input)),
    shadow: (input) => monitoring.shadow(
      input.prediction_id, input.shadow_raw_predictions, input.shadow_latency),
    deployment_info: () => monitoring.deploymentInfo(),
    stats: (input) => monitoring.stats(input.service, input),
  };
}

/** The `error` of a failed call: its kind, then what the service (or the client) said. */
function describe(error) {
  let kind = 'invalid_request'; // the client refused to send
  if (error instanceof client.AlreadyProcessed) kind = 'already_processed';
  else if (error instanceof client.ServiceError) kind = 'service';
  else if (error instanceof client.Timeout) kind = 'timeout';
  else if (error instanceof client.TransportError) kind = 'transport';
  else if (!(error instanceof client.PicselliaError)) console.error(error); // a bug here
  const { status = null, code = null, problems = [] } = error;
  return { kind, status, code, problems, message: String(error.message) };
}

/** The outcome of one action: one result per call, in order. */
async function perform(action) {
  const run = operations(action);
  const results = [];
  for (const { operation, input = {} } of action.calls || []) {
    try {
      if (!Object.hasOwn(run, operation)) {
        throw new client.RequestInvalid(`unknown operation ${JSON.stringify(operation)}`);
      }
      results.push({ ok: true, value: await run[operation](input) });
    } catch (error) {
      results.push({ ok: false, error: describe(error) });
    }
  }
  return { results };
}

async function main() {
  const action = JSON.parse(fs.readFileSync(0, 'utf8')); // not JSON: node exits 1, saying why
  process.stdout.write(JSON.stringify(await perform(action)) + '\n');
}

if (require.main === module) main();

module.exports = { operations, describe, perform };
