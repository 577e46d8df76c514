// clients.md, @otp-functions/client: a wrong code typed, the refusal shown with the attempts left.
import { docsCheckFetch } from "./fake-service.mjs";

const docsCheckCalls = [];
globalThis.fetch = docsCheckFetch(docsCheckCalls);
globalThis.turnstile = { getResponse: () => "turnstile-token" };
const codeFromUser = "000000";
const docsCheckShown = [];
const showMessage = (message) => docsCheckShown.push(message);
