const docsCheckSend = docsCheckCalls.find((c) => c.path.endsWith("/api/otp"));
if (!docsCheckSend || docsCheckSend.headers.get("X-Bot-Token") !== "turnstile-token" || !/^[0-9a-f-]{36}$/.test(docsCheckSend.headers.get("Idempotency-Key") ?? "")) {
  throw new Error(`the send did not carry the bot token and an Idempotency-Key: ${JSON.stringify(docsCheckCalls.map((c) => [c.path, [...c.headers]]))}`);
}
if (challenge.id !== "chal_1" || docsCheckShown.join() !== "4 attempts left") {
  throw new Error(`expected "4 attempts left" shown for challenge chal_1, got ${JSON.stringify(docsCheckShown)}`);
}
