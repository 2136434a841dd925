// The rules no schema expresses (list lengths, base64, image bytes, geometry, ...), asked of a
// running mock: POST /__admin/validate/{message} answers the full contract's verdict.

/** One entry of the answer's problems (schemas/problem.json). */
export interface Problem {
  code: string;
  pointer: string;
  message?: string;
  severity?: "error" | "warning";
}

/** The answer (schemas/admin-validate-response.json): valid when no problem is an error. */
export interface Verdict {
  valid: boolean;
  problems: Problem[];
}

/**
 * Posts the payload to POST {baseUrl}/__admin/validate/{message}; the options are the query of
 * schemas/admin-validate-query.json: deploymentType (absent: the mock infers it from the keys),
 * strict (warnings count as errors), labelCount (the deployment's labels; absent: class indexes
 * are not checked against them).
 */
export async function askMock(
  baseUrl: string,
  message: string,
  payload: unknown,
  options: {
    deploymentType?: string | null;
    strict?: boolean;
    labelCount?: number;
    adminToken?: string; // the token of a mock served with --admin-token
  } = {},
): Promise<Verdict> {
  const query = new URLSearchParams();
  if (options.deploymentType) query.set("deployment_type", options.deploymentType);
  if (options.strict) query.set("strict", "true");
  if (options.labelCount) query.set("label_count", String(options.labelCount));
  const route = `${baseUrl}/__admin/validate/${encodeURIComponent(message)}`;
  const address = `${query}` ? `${route}?${query}` : route;
  let answer: Response;
  try {
    answer = await fetch(address, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(options.adminToken ? { Authorization: `Bearer ${options.adminToken}` } : {}),
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a timeout, ...)
    const { message, cause } = error as Error & { cause?: { message?: string } };
    throw new Error(`POST ${address}: no answer (${cause?.message ?? message})`);
  }
  if (answer.status === 401) {
    throw new Error(`POST ${address} answered 401: the mock requires an admin token: set PICSELLIA_ADMIN_TOKEN`);
  }
  if (answer.status !== 200) {
    throw new Error(`POST ${address} answered ${answer.status}: ${await answer.text()}`);
  }
  return (await answer.json()) as Verdict;
}
