const docsCheckToken = await new SignJWT({ pur: "login", chn: "sms", dst: "+1415*****00" })
  .setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer(docsCheckIssuer).setAudience("api://orders")
  .setSubject("subject-1").setIssuedAt().setExpirationTime("5m").sign(docsCheckKeys.privateKey);
const docsCheckPayload = await session(docsCheckToken);
if (docsCheckPayload.sub !== "subject-1" || docsCheckPayload.pur !== "login") {
  throw new Error(`unexpected payload ${JSON.stringify(docsCheckPayload)}`);
}
const docsCheckForeign = await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer("https://evil.example.com/api")
  .setAudience("api://orders").setExpirationTime("5m").sign(docsCheckKeys.privateKey);
if (await session(docsCheckForeign).then(() => true, () => false)) {
  throw new Error("a token from another issuer was accepted");
}
