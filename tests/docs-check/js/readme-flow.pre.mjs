// clients/js/README.md, the whole flow: the code the user types (prompt) is right, the session names its subject.
import { docsCheckCode, docsCheckFetch } from "./fake-service.mjs";

const docsCheckCalls = [];
globalThis.fetch = docsCheckFetch(docsCheckCalls);
const docsCheckPrompts = [];
globalThis.prompt = (text) => {
  docsCheckPrompts.push(text);
  return docsCheckCode;
};
const docsCheckLogged = [];
console.log = (...args) => docsCheckLogged.push(args.join(" "));
