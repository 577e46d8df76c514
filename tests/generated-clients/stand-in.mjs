// A stand-in for the service that scripts/generated-clients-check runs the generated C# client against: it answers
// the calls of tests/generated-clients/kiota/Program.cs as docs/api.md says (the service's own answers are checked
// against openapi.json by OpenApiContractTests), refuses a send body with any field but channel and to, and counts
// the requests it gets (GET /requests?path=…), so a client that resends by itself is seen. Prints its URL, then serves
// until killed.
import { createServer } from "node:http";

const counts = new Map();
const at = (seconds) => new Date(Date.now() + seconds * 1000).toISOString();

const server = createServer(async (request, response) => {
  const url = new URL(request.url, "http://stand-in");
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
  const json = (status, value, headers = {}) => {
    response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
    response.end(JSON.stringify(value));
  };
  if (request.method === "GET" && url.pathname === "/requests") return json(200, counts.get(url.searchParams.get("path")) ?? 0);
  counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);

  const route = `${request.method} ${url.pathname}`;
  if (route === "POST /api/otp") {
    const fields = Object.keys(body ?? {}).sort().join();
    if (fields !== "channel,to") return json(400, { error: "invalid_request", message: `a minimal send has channel and to only, not ${fields}` });
    return json(202, { id: "chal_1", channel: body.channel, to: "+1415*****00", status: "pending", expiresAt: at(600), resendAfter: at(30), attemptsLeft: 5, sendsLeft: 4 });
  }
  if (route === "POST /api/otp/chal_1/resend") {
    return json(429, { error: "rate_limited", message: "Wait before asking for another code.", retryAfter: 1 }, { "Retry-After": "1" });
  }
  if (route === "POST /api/otp/chal_1/verify") {
    return json(400, { error: "invalid_code", message: "The code is not correct.", attemptsLeft: 4 });
  }
  if (route === "POST /api/events/delivery") {
    const type = request.headers["aeg-event-type"];
    if (type === "SubscriptionValidation") return json(200, { validationResponse: body[0].data.validationCode });
    if (type === "Notification") return json(200, { reports: body.length });
    return json(401, { error: "unauthorized", message: "aeg-event-type is missing." });
  }
  return json(404, { error: "not_found", message: `no route ${route}` });
});

server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
