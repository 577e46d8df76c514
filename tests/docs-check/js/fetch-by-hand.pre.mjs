// clients.md, the fetch snippet: send, verify the right code, read the session.
import { docsCheckFetch } from "./fake-service.mjs";

const docsCheckCalls = [];
globalThis.fetch = docsCheckFetch(docsCheckCalls);
const docsCheckLogged = [];
console.log = (...parts) => docsCheckLogged.push(parts.join(" "));
const docsCheckShown = [];
const showMessage = (message) => docsCheckShown.push(message);
const offerNewCode = (message) => docsCheckShown.push(message);
const retryIn = (seconds) => docsCheckShown.push(`retry in ${seconds}`);
