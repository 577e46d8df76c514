// What a new user writes with openapi-typescript + openapi-fetch against types generated from openapi.json
// (artifacts/generated-clients/typescript/openapi.ts, written by scripts/generated-clients-check). It must compile
// under strict settings: the documented minimal bodies are enough, the answers have the documented fields.
import createClient from "openapi-fetch";
import type { components, paths } from "../../../artifacts/generated-clients/typescript/openapi.js";

const client = createClient<paths>({ baseUrl: "https://otp.example.com/api" });

export async function flow(): Promise<string | undefined> {
  // {channel, to} alone: purpose and locale are optional.
  const sent = await client.POST("/otp", { body: { channel: "sms", to: "+14155550100" } });
  if (sent.error) return `${sent.error.error}: ${sent.error.message} (retry after ${sent.error.retryAfter ?? "-"} s)`;
  const id: string = sent.data.id;

  const resent = await client.POST("/otp/{id}/resend", { params: { path: { id } } });
  if (resent.error?.error === "rate_limited") return `wait ${resent.error.retryAfter} s`;

  const verified = await client.POST("/otp/{id}/verify", { params: { path: { id } }, body: { code: "123456" } });
  if (verified.error) return verified.error.attemptsLeft === undefined ? verified.error.message : `${verified.error.attemptsLeft} attempts left`;
  const token: string = verified.data.session.token;

  const headers = { Authorization: `Bearer ${token}` };
  const session = await client.GET("/session", { headers });
  const status = await client.GET("/otp/{id}", { params: { path: { id } } });
  await client.DELETE("/otp/{id}", { params: { path: { id } } });
  await client.DELETE("/session", { headers });
  return `${session.data?.subject} ${status.data?.delivery.status}`;
}

export function deliveryAnswer(answer: components["schemas"]["DeliveryEventsAnswer"]): string {
  return answer.validationResponse ?? `${answer.reports ?? 0} reports`;
}

export const minimalSend: components["schemas"]["SendRequest"] = { channel: "email", to: "ada@example.com" };
