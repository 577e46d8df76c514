const docsCheckPaths = docsCheckCalls.map((c) => `${c.method} ${c.path}`);
if (docsCheckPaths.join() !== "POST /api/otp,POST /api/otp/chal_1/verify,GET /api/session") {
  throw new Error(`the flow made other calls: ${JSON.stringify(docsCheckPaths)}`);
}
if (docsCheckPrompts.join() !== "Code sent to +1415*****00" || docsCheckLogged.join() !== "signed in as subject-1") {
  throw new Error(`expected the masked number prompted and "signed in as subject-1" shown, got ${JSON.stringify([docsCheckPrompts, docsCheckLogged])}`);
}
