// The docs check (scripts/docs-check): finds every ```csharp and ```js block of README.md, docs/*.md and the READMEs of
// clients/ and samples/, reads the <!-- docs-check: … --> marker above it, and compiles and runs it. See
// tests/docs-check/README.md for the markers.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "../..");
const here = join(root, "tests/docs-check");
// The client libraries' and samples' READMEs too: their "whole flow" is the first code a new user pastes.
const readmes = ["clients/js", "clients/dotnet/OtpFunctions.Client", "clients/dotnet/OtpFunctions.AspNetCore.Identity", "samples/IdentityTwoFactor"].map((d) => `${d}/README.md`);
const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`), ...readmes];

const snippets = files.flatMap(extract);
const problems = snippets.filter((s) => !s.marker).map((s) => `${s.where}: a \`\`\`${s.lang} block without a <!-- docs-check: … --> marker above it`);
const csharp = [];
const js = [];
for (const snippet of snippets.filter((s) => s.marker)) {
  const [kind, ...rest] = snippet.marker.split(/\s+/);
  if (kind === "skip") {
    if (rest.length === 0) problems.push(`${snippet.where}: docs-check skip needs a reason`);
  } else if (kind === "same-as") {
    problems.push(...sameAs(snippet, rest[0]));
  } else if (kind === "csharp" && snippet.lang === "csharp") {
    csharp.push({ ...snippet, mode: rest[0], name: rest[1], parameters: rest.slice(2).join(" ") });
  } else if (kind === "js" && snippet.lang === "js") {
    js.push({ ...snippet, scenario: rest[0] });
  } else {
    problems.push(`${snippet.where}: unknown marker "${snippet.marker}" for a ${snippet.lang} block`);
  }
}

if (problems.length === 0) {
  problems.push(...runJavaScript(js));
  problems.push(...runCSharp(csharp));
}

if (problems.length > 0) {
  console.error(`docs-check: ${problems.length} problem(s):\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`docs-check: OK (${csharp.length} C# and ${js.length} JavaScript snippets compiled and run, ${snippets.length - csharp.length - js.length} checked otherwise or skipped with a reason)`);

function extract(file) {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^\s*```(csharp|js)\s*$/);
    if (!open) continue;
    const indent = lines[i].indexOf("```");
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === "") above--;
    const marker = above >= 0 ? lines[above].match(/<!--\s*docs-check:\s*(.*?)\s*-->/) : null;
    found.push({
      lang: open[1],
      where: `${file}:${i + 1}`,
      id: `${file.replace(/[^A-Za-z0-9]/g, "_")}_${i + 1}`,
      marker: marker?.[1],
      code: lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join("\n"),
    });
    i = end;
  }
  return found;
}

/** A snippet compiled elsewhere: every line of it must be in that file. */
function sameAs(snippet, path) {
  const text = readFileSync(join(root, path), "utf8");
  // Trailing comments are the docs' own explanations.
  return snippet.code.split("\n").map((l) => l.replace(/\s+\/\/ .*$/, "").trim()).filter((l) => l && !text.includes(l))
    .map((l) => `${snippet.where}: "${l}" is not in ${path}, which compiles this snippet`);
}

function runJavaScript(snippets) {
  const out = join(root, "artifacts/docs-check/js");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const problems = [];
  for (const snippet of snippets) {
    // The module is written under artifacts/: the stubs' own imports point back here.
    const pre = readFileSync(join(here, "js", `${snippet.scenario}.pre.mjs`), "utf8").replaceAll('"./', `"${pathToFileURL(join(here, "js"))}/`);
    const post = readFileSync(join(here, "js", `${snippet.scenario}.post.mjs`), "utf8");
    // One module, so the scenario's stubs run before the snippet and its checks see the snippet's bindings.
    const file = join(out, `${snippet.id}.mjs`);
    writeFileSync(file, `${pre}\n// ---- ${snippet.where}\n${snippet.code}\n// ----\n${post}`);
    try {
      execFileSync(process.execPath, [file], { cwd: root, stdio: "pipe", timeout: 60_000 });
      console.log(`ran ${snippet.where} (js ${snippet.scenario})`);
    } catch (error) {
      problems.push(`${snippet.where} (js ${snippet.scenario}, ${file}): ${error.stderr?.toString() || error.message}`);
    }
  }
  return problems;
}

function runCSharp(snippets) {
  if (snippets.length === 0) return [];
  // Outside the repository, so its Directory.*.props (central versions, stricter analyzers) do not apply: what a
  // new user's `dotnet new web` project gets, with warnings as errors.
  const project = mkdtempSync(join(tmpdir(), "otp-docs-check-"));
  try {
    const versions = readFileSync(join(root, "Directory.Packages.props"), "utf8");
    const version = (id) => versions.match(new RegExp(`Include="${id.replace(/\./g, "\\.")}" Version="([^"]+)"`))[1];
    writeFileSync(join(project, "DocsCheck.csproj"), `<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="StandardWebhooks" Version="${version("StandardWebhooks")}" />
    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer" Version="${version("Microsoft.AspNetCore.Authentication.JwtBearer")}" />
    <!-- The .NET client's README snippets use the client as its package would give it to them. -->
    <ProjectReference Include="${join(root, "clients/dotnet/OtpFunctions.Client/OtpFunctions.Client.csproj")}" />
  </ItemGroup>
</Project>
`);
    writeFileSync(join(project, "Program.cs"), readFileSync(join(here, "csharp/Program.cs"), "utf8"));
    for (const snippet of snippets) {
      writeFileSync(join(project, `${snippet.id}.cs`), wrap(snippet));
    }
    const dotnet = (...args) => execFileSync("dotnet", args, { cwd: project, stdio: "pipe", encoding: "utf8", timeout: 600_000 });
    try {
      dotnet("build", "-c", "Release", "--nologo", "-v", "quiet");
    } catch (error) {
      return [`the C# snippets do not compile as a new user's project (${project} kept):\n${error.stdout}${error.stderr}`];
    }
    try {
      console.log(dotnet("run", "-c", "Release", "--no-build").trimEnd());
    } catch (error) {
      return [`a C# snippet did not run as documented:\n${error.stdout}${error.stderr}`];
    }
    rmSync(project, { recursive: true, force: true });
    return [];
  } catch (error) {
    return [`docs-check C#: ${error.message}`];
  }
}

/** The snippet as the file a new user would write: usings first, then the code in its place. */
function wrap(snippet) {
  const lines = snippet.code.split("\n");
  const usings = lines.filter((l) => /^using [A-Za-z_][\w.]*( = [\w.<>]+)?;\s*$/.test(l));
  const body = lines.filter((l) => !usings.includes(l));
  const header = `// ${snippet.where}\n${usings.join("\n")}\n`;
  switch (snippet.mode) {
    case "types":
      return `${header}\n${body.join("\n")}\n`;
    case "web": {
      // Program.cs of `dotnet new web`: the snippet's service set-up before Build(), its endpoints after.
      const split = body.findIndex((l) => /^app\./.test(l));
      const before = split < 0 ? body : body.slice(0, split);
      const after = split < 0 ? [] : body.slice(split);
      return `${header}
public static class ${snippet.name}
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
${before.join("\n")}
        var app = builder.Build();
${after.join("\n")}
        return app;
    }
}
`;
    }
    case "method":
      return `${header}
public static class ${snippet.name}
{
    public static async Task RunAsync${snippet.parameters}
    {
${body.join("\n")}
        await Task.CompletedTask;
    }
}
`;
    default:
      throw new Error(`${snippet.where}: csharp mode must be types, web or method, not "${snippet.mode}"`);
  }
}
