// webhooks.md, the Express receiver: a signed event is accepted (204), a tampered one refused (401).
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { Webhook as DocsCheckSigner } from "standardwebhooks";

const docsCheckSecret = `whsec_${randomBytes(32).toString("base64")}`;
process.env.OTP_WEBHOOK_SECRET = docsCheckSecret;
