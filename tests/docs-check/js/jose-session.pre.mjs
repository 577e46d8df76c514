// clients.md, Node with jose: a token the service would issue (ES256, from its JWKS) is accepted, with its claims.
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const docsCheckIssuer = "https://otp.example.com/api";
const docsCheckKeys = await generateKeyPair("ES256");
const docsCheckJwk = { ...(await exportJWK(docsCheckKeys.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
globalThis.fetch = async (input) => {
  const url = String(input);
  const body = url === `${docsCheckIssuer}/.well-known/openid-configuration`
    ? { issuer: docsCheckIssuer, jwks_uri: `${docsCheckIssuer}/.well-known/jwks.json` }
    : url === `${docsCheckIssuer}/.well-known/jwks.json` ? { keys: [docsCheckJwk] } : null;
  return new Response(JSON.stringify(body ?? { error: "not_found" }), { status: body ? 200 : 404, headers: { "Content-Type": "application/json" } });
};
