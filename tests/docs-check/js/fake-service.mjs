// A stand-in for the service behind the client snippets' fetch calls: answers as docs/api.md says.
export const docsCheckCode = "123456";

export function docsCheckFetch(calls) {
  return async (input, init = {}) => {
    const url = new URL(String(input), "https://app.example.com/");
    const headers = new Headers(init.headers);
    calls.push({ method: init.method ?? "GET", path: url.pathname, headers, body: init.body });
    const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    const at = (minutes) => new Date(Date.now() + minutes * 60_000).toISOString();
    if (init.method === "POST" && url.pathname.endsWith("/api/otp")) {
      if (headers.get("Content-Type") !== "application/json") return json(415, { error: "unsupported_media_type", message: "JSON only" });
      const { channel, to } = JSON.parse(init.body);
      return json(202, { id: "chal_1", channel, to: to.slice(0, 5) + "*****" + to.slice(-2), status: "pending", expiresAt: at(10), resendAfter: at(0.5), attemptsLeft: 5, sendsLeft: 4 });
    }
    if (init.method === "POST" && /\/api\/otp\/[^/]+\/verify$/.test(url.pathname)) {
      const { code } = JSON.parse(init.body);
      return code === docsCheckCode
        ? json(200, { status: "approved", session: { token: "session-token", expiresAt: at(60) } })
        : json(400, { error: "invalid_code", message: "The code is not correct.", attemptsLeft: 4 });
    }
    if ((init.method ?? "GET") === "GET" && url.pathname.endsWith("/api/session")) {
      return headers.get("Authorization") === "Bearer session-token"
        ? json(200, { subject: "subject-1", channel: "sms", to: "+1415*****00", purpose: "login", expiresAt: at(60) })
        : json(401, { error: "unauthorized", message: "Sign in again." });
    }
    return json(404, { error: "not_found", message: `no route ${url.pathname}` });
  };
}
