if (!docsCheckLogged.some((line) => line.startsWith("signed in as subject-1 until "))) {
  throw new Error(`expected "signed in as subject-1 …" logged; logged ${JSON.stringify(docsCheckLogged)}, shown ${JSON.stringify(docsCheckShown)}`);
}
if (!docsCheckCalls.every((c) => c.method === "GET" || c.headers.get("Content-Type") === "application/json")) {
  throw new Error("a POST went out without Content-Type: application/json (the service answers 415)");
}
