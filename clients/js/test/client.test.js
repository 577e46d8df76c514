// The built client (dist/index.js) against a running service. OtpFunctions.Tests/Clients/JsClientTests starts the
// service on Azurite and runs `node --test` here with:
//   OTP_BASE_URL   the service's URL without /api
//   OTP_CODES_DIR  a folder where the test host writes the latest code delivered for each challenge, in a file named by its id
//   OTP_API_KEY    a server key configured with the purpose "server_only", which anonymous callers may not use
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { createOtpClient, OtpError } from "../dist/index.js";

const baseUrl = process.env.OTP_BASE_URL;
const codesDir = process.env.OTP_CODES_DIR;
const apiKey = process.env.OTP_API_KEY;
if (!baseUrl || !codesDir || !apiKey) throw new Error("set OTP_BASE_URL, OTP_CODES_DIR and OTP_API_KEY (JsClientTests does)");

let next = Math.floor(Math.random() * 9000);
const phone = () => `+1415555${String(1000 + (next++ % 9000)).padStart(4, "0")}`;
const email = () => `js${Date.now()}${next++}@example.com`;

/** The latest code delivered for a challenge, waiting for one other than `previous`. */
async function codeFor(id, previous = undefined) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const code = (await readFile(join(codesDir, id), "utf8").catch(() => "")).trim();
    if (/^\d+$/.test(code) && code !== previous) return code;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no code delivered for ${id}`);
}

/** A fetch that records what the client sent. */
function recording() {
  const requests = [];
  const fetch = (input, init) => {
    requests.push({ url: String(input), method: init?.method, headers: new Headers(init?.headers), body: init?.body });
    return globalThis.fetch(input, init);
  };
  return { fetch, requests };
}

async function rejection(promise) {
  const error = await promise.then(() => assert.fail("expected a refusal"), (error) => error);
  assert.ok(error instanceof OtpError, `not an OtpError: ${error}`);
  return error;
}

test("send, wrong code, right code, session, revoke", async () => {
  const otp = createOtpClient({ baseUrl });
  const challenge = await otp.send({ channel: "sms", to: phone() });
  assert.match(challenge.to, /^\+1415\*+\d\d$/);
  assert.equal(challenge.status, "pending");

  const code = await codeFor(challenge.id);
  const wrong = await rejection(otp.verify(challenge.id, code === "000000" ? "111111" : "000000"));
  assert.deepEqual([wrong.status, wrong.code, wrong.attemptsLeft], [400, "invalid_code", challenge.attemptsLeft - 1]);

  const approved = await otp.verify(challenge.id, code);
  assert.equal(approved.status, "approved");
  const session = await otp.session(approved.session.token);
  assert.deepEqual([session.subject, session.channel, session.purpose], [challenge.to, "sms", "login"]);

  await otp.revoke(approved.session.token);
  const revoked = await rejection(otp.session(approved.session.token));
  assert.deepEqual([revoked.status, revoked.code], [401, "unauthorized"]);
  const used = await rejection(otp.verify(challenge.id, code));
  assert.deepEqual([used.status, used.code], [409, "already_verified"]);
});

test("a resend in the cooldown throws rate_limited with retryAfter, once, without waiting", async () => {
  const { fetch, requests } = recording();
  const otp = createOtpClient({ baseUrl: `${baseUrl}/`, fetch });
  const challenge = await otp.send({ channel: "email", to: email(), purpose: "login", locale: "fr" });

  const started = Date.now();
  const error = await rejection(otp.resend(challenge.id));

  assert.deepEqual([error.status, error.code], [429, "rate_limited"]);
  assert.ok(error.retryAfter > 0 && error.retryAfter <= 30, `retryAfter ${error.retryAfter}`);
  assert.equal(requests.length, 2, "the client must not resend by itself");
  assert.ok(Date.now() - started < 5_000);
  assert.equal(requests[1].url, `${baseUrl}/api/otp/${encodeURIComponent(challenge.id)}/resend`);
  assert.equal(requests[1].body, undefined);
});

test("status and cancel", async () => {
  const otp = createOtpClient({ baseUrl: new URL(baseUrl) });
  const challenge = await otp.send({ channel: "email", to: email() });
  await codeFor(challenge.id);

  const status = await otp.status(challenge.id);
  assert.deepEqual([status.id, status.status, status.channel, status.to], [challenge.id, "pending", "email", challenge.to]);
  assert.ok(["queued", "sent", "delivered"].includes(status.delivery.status));

  assert.equal(await otp.cancel(challenge.id), undefined);
  assert.equal((await otp.status(challenge.id)).status, "canceled");
  const canceled = await rejection(otp.verify(challenge.id, "123456"));
  assert.ok([404, 410].includes(canceled.status));
  const unknown = await rejection(otp.status("no-such-challenge"));
  assert.deepEqual([unknown.status, unknown.code], [404, "not_found"]);
});

test("a malformed destination or code is invalid_request", async () => {
  const otp = createOtpClient({ baseUrl });
  const bad = await rejection(otp.send({ channel: "sms", to: "4155550100" }));
  assert.deepEqual([bad.status, bad.code], [400, "invalid_request"]);
  assert.match(bad.message, /E\.164/);

  const challenge = await otp.send({ channel: "sms", to: phone() });
  const short = await rejection(otp.verify(challenge.id, "12"));
  assert.deepEqual([short.status, short.code, short.attemptsLeft], [400, "invalid_request", undefined]);
});

test("apiKey goes in X-Api-Key on sends and resends only, and unlocks the key's purposes", async () => {
  const anonymous = await rejection(createOtpClient({ baseUrl }).send({ channel: "sms", to: phone(), purpose: "server_only" }));
  assert.deepEqual([anonymous.status, anonymous.code], [400, "invalid_request"]);

  const { fetch, requests } = recording();
  const otp = createOtpClient({ baseUrl, apiKey, fetch });
  const challenge = await otp.send({ channel: "sms", to: phone(), purpose: "server_only" });
  await otp.status(challenge.id);
  assert.equal(requests[0].headers.get("X-Api-Key"), apiKey);
  assert.equal(requests[1].headers.get("X-Api-Key"), null);

  const wrongKey = await rejection(createOtpClient({ baseUrl, apiKey: "not-a-key" }).send({ channel: "sms", to: phone() }));
  assert.deepEqual([wrongKey.status, wrongKey.code], [401, "unauthorized"]);
});

test("botToken: a fresh token per send from a function, or a fixed string", async () => {
  const { fetch, requests } = recording();
  let issued = 0;
  const otp = createOtpClient({ baseUrl, fetch, botToken: async () => `token-${++issued}` });
  const challenge = await otp.send({ channel: "sms", to: phone() });
  await rejection(otp.resend(challenge.id));
  await otp.status(challenge.id);
  assert.deepEqual(requests.map((r) => r.headers.get("X-Bot-Token")), ["token-1", "token-2", null]);

  const fixed = recording();
  await createOtpClient({ baseUrl, fetch: fixed.fetch, botToken: "fixed" }).send({ channel: "sms", to: phone() });
  assert.equal(fixed.requests[0].headers.get("X-Bot-Token"), "fixed");
});

test("the same Idempotency-Key returns the first answer", async () => {
  const otp = createOtpClient({ baseUrl });
  const request = { channel: "sms", to: phone() };
  const idempotencyKey = crypto.randomUUID();
  const first = await otp.send(request, { idempotencyKey });
  const again = await otp.send(request, { idempotencyKey });
  assert.equal(again.id, first.id);
});

test("an answer without the error body still throws OtpError, and an HTTP-date Retry-After becomes seconds", async () => {
  const fetch = async () => new Response("<html>bad gateway</html>", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Content-Type": "text/html", "Retry-After": new Date(Date.now() + 20_000).toUTCString() },
  });
  const error = await rejection(createOtpClient({ baseUrl: "https://otp.example.com", fetch }).status("x"));
  assert.deepEqual([error.status, error.code, error.name], [503, "http_503", "OtpError"]);
  assert.ok(error.retryAfter >= 18 && error.retryAfter <= 20, `retryAfter ${error.retryAfter}`);
  assert.ok(error instanceof Error);
});

test("an aborted call rejects with the signal's reason", async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(createOtpClient({ baseUrl }).status("x", { signal: controller.signal }), { name: "AbortError" });
});
