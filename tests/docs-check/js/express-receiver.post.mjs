const docsCheckServer = app.listen(0, "127.0.0.1");
await once(docsCheckServer, "listening");
try {
  const docsCheckUrl = `http://127.0.0.1:${docsCheckServer.address().port}/hooks/otp`;
  const docsCheckBody = JSON.stringify({ type: "verification.approved", timestamp: new Date().toISOString(), data: { id: "chal_1", channel: "sms", to: "+1415*****00", purpose: "login" } });
  const docsCheckId = "msg_1";
  const docsCheckAt = new Date();
  const docsCheckHeaders = {
    "Content-Type": "application/json",
    "webhook-id": docsCheckId,
    "webhook-timestamp": String(Math.floor(docsCheckAt.getTime() / 1000)),
    "webhook-signature": new DocsCheckSigner(docsCheckSecret).sign(docsCheckId, docsCheckAt, docsCheckBody),
  };
  const docsCheckSigned = await fetch(docsCheckUrl, { method: "POST", headers: docsCheckHeaders, body: docsCheckBody });
  const docsCheckTampered = await fetch(docsCheckUrl, { method: "POST", headers: docsCheckHeaders, body: docsCheckBody.replace("approved", "locked") });
  if (docsCheckSigned.status !== 204 || docsCheckTampered.status !== 401) {
    throw new Error(`signed answered ${docsCheckSigned.status} (want 204), tampered ${docsCheckTampered.status} (want 401)`);
  }
} finally {
  docsCheckServer.close();
}
