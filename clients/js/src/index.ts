// The client for the OTP Functions service. Types come from the service's own OpenAPI document
// (src/generated/openapi.ts, written by `npm run generate` at build time), so a route or field the
// document drops or renames fails this build instead of a user's call.
import type { components, paths } from "./generated/openapi.js";

type Schemas = components["schemas"];

/** The body of a send: `channel` and `to` are required, `purpose` defaults to `login`, `locale` to `en`. */
export type SendRequest = Schemas["SendRequest"];
/** A channel the service can send a code on. */
export type Channel = SendRequest["channel"];
/** The 202 answer of a send or resend: the challenge, its destination masked. */
export type Challenge = Schemas["Challenge"];
/** The answer of `status`: the challenge and its delivery state. */
export type ChallengeStatus = Schemas["ChallengeStatus"];
/** A correct code's answer: the bearer session it bought. */
export type Approved = Schemas["Approved"];
/** What `session` answers for a bearer token. */
export type Session = Schemas["Session"];
/** The body of every refusal. */
export type ErrorBody = Schemas["Error"];

/** A bot-check token, or a function that returns a fresh one (tokens are single use): called once per send and resend. */
export type BotToken = string | (() => string | undefined | null | Promise<string | undefined | null>);

export interface OtpClientOptions {
  /** The service's URL without `/api`, e.g. `https://otp.example.com` (in a page served by the service, `location.origin`). */
  baseUrl: string | URL;
  /** A server caller's key, sent as `X-Api-Key` on sends and resends. Never put one in a browser or mobile app. */
  apiKey?: string;
  /** The bot check's token for public callers, sent as `X-Bot-Token` on sends and resends. */
  botToken?: BotToken;
  /** The fetch to use; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

export interface SendOptions extends CallOptions {
  /** A random value per user action (e.g. `crypto.randomUUID()`): the same key with the same body returns the first answer and sends nothing new. */
  idempotencyKey?: string;
}

export interface ResendOptions extends CallOptions {
  /** Switch to another phone channel for this and later sends ("call me instead"); the same channel when absent. */
  channel?: Channel;
}

export interface OtpClient {
  /** `POST /api/otp`: sends a code. */
  send(request: SendRequest, options?: SendOptions): Promise<Challenge>;
  /** `POST /api/otp/{id}/resend`: sends a new code for the same challenge; the previous code stops working. */
  resend(id: string, options?: ResendOptions): Promise<Challenge>;
  /** `POST /api/otp/{id}/verify`: checks a code; a correct one buys a session. */
  verify(id: string, code: string, options?: CallOptions): Promise<Approved>;
  /** `GET /api/otp/{id}`: the challenge's state and delivery. */
  status(id: string, options?: CallOptions): Promise<ChallengeStatus>;
  /** `DELETE /api/otp/{id}`: cancels the challenge. */
  cancel(id: string, options?: CallOptions): Promise<void>;
  /** `GET /api/session`: the session a bearer token stands for (refused once revoked or expired). */
  session(token: string, options?: CallOptions): Promise<Session>;
  /** `DELETE /api/session`: revokes the session; the token is refused from then on. */
  revoke(token: string, options?: CallOptions): Promise<void>;
}

/**
 * A refusal by the service (any answer but 2xx). `code` is the error code of the body (`invalid_code`, `rate_limited`,
 * `locked`, ...), or `http_<status>` when the answer carried none (a proxy's page). Nothing is retried behind your back:
 * after a `rate_limited` refusal, show `retryAfter` and let the user decide.
 */
export class OtpError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The error code from the body. */
  readonly code: string;
  /** Seconds to wait before trying again (`Retry-After`), with `rate_limited` and `unavailable`. */
  readonly retryAfter: number | undefined;
  /** Wrong codes still allowed, with `invalid_code`. */
  readonly attemptsLeft: number | undefined;

  constructor(status: number, code: string, message: string, retryAfter?: number, attemptsLeft?: number) {
    super(message);
    this.name = "OtpError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.attemptsLeft = attemptsLeft;
  }
}

type Route = keyof paths;
type Method = "GET" | "POST" | "DELETE";

interface Call {
  method: Method;
  route: Route;
  id?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/** Creates a client for one deployment of the service. */
export function createOtpClient(options: OtpClientOptions): OtpClient {
  const api = new URL("api/", String(options.baseUrl).replace(/\/*$/, "/"));
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function call<T>(request: Call): Promise<T> {
    const path = request.route.replace("{id}", encodeURIComponent(request.id ?? "")).replace(/^\//, "");
    const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
    if (request.body !== undefined) headers["Content-Type"] = "application/json";
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) init.body = JSON.stringify(request.body);
    if (request.signal) init.signal = request.signal;
    const response = await fetcher(new URL(path, api), init);
    if (!response.ok) throw await refusal(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async function callerHeaders(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    if (options.apiKey) headers["X-Api-Key"] = options.apiKey;
    const token = typeof options.botToken === "function" ? await options.botToken() : options.botToken;
    if (token) headers["X-Bot-Token"] = token;
    return headers;
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  return {
    async send(request, { idempotencyKey, signal } = {}) {
      const headers = await callerHeaders();
      if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
      return call<Challenge>({ method: "POST", route: "/otp", body: request, headers, signal });
    },
    async resend(id, { channel, signal } = {}) {
      const body = channel === undefined ? undefined : { channel };
      return call<Challenge>({ method: "POST", route: "/otp/{id}/resend", id, body, headers: await callerHeaders(), signal });
    },
    verify: (id, code, { signal } = {}) =>
      call<Approved>({ method: "POST", route: "/otp/{id}/verify", id, body: { code } satisfies Schemas["VerifyRequest"], signal }),
    status: (id, { signal } = {}) => call<ChallengeStatus>({ method: "GET", route: "/otp/{id}", id, signal }),
    cancel: (id, { signal } = {}) => call<void>({ method: "DELETE", route: "/otp/{id}", id, signal }),
    session: (token, { signal } = {}) => call<Session>({ method: "GET", route: "/session", headers: bearer(token), signal }),
    revoke: (token, { signal } = {}) => call<void>({ method: "DELETE", route: "/session", headers: bearer(token), signal }),
  };
}

async function refusal(response: Response): Promise<OtpError> {
  const body = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
  const code = typeof body?.error === "string" ? body.error : `http_${response.status}`;
  const message = typeof body?.message === "string" ? body.message : `The service answered ${response.status} ${response.statusText}`.trim();
  const attemptsLeft = typeof body?.attemptsLeft === "number" ? body.attemptsLeft : undefined;
  return new OtpError(response.status, code, message, retryAfter(response, body), attemptsLeft);
}

/** Retry-After in seconds: the header (seconds or an HTTP date), else the body's field, which a cross-origin page can always read. */
function retryAfter(response: Response, body: Partial<ErrorBody> | null): number | undefined {
  const header = response.headers.get("Retry-After")?.trim();
  if (header && /^\d+$/.test(header)) return Number(header);
  const date = header ? Date.parse(header) : NaN;
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return typeof body?.retryAfter === "number" ? body.retryAfter : undefined;
}
