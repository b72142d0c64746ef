#!/usr/bin/env bash
# Measures AgentSafety's rules on real agent code: the public samples and sources of the SDKs users copy from.
# Usage: scripts/real-code.sh [--loose] GIT_DIR OUT_DIR PROJECT_GLOB...
#   --loose      for repositories whose projects do not restore offline (their pinned versions are not served): each
#                project's folder is compiled by a generated project against the served agent packages (below),
#                so code that uses a package not in that set does not compile (listed in failed.txt); findings in it
#                are still produced by the compiler's analyzer pass and are judged like the others.
#   GIT_DIR      a git directory of the repository (a bare clone or a mirror; HEAD is extracted, never committed here)
#   OUT_DIR      where the code is extracted and the findings are written (findings.tsv: rule, file, line, message)
#   PROJECT_GLOB the project files to build, relative to the repository root (e.g. 'samples/*/*.csproj')
# Each project is built as the repository builds it, with this repository's analyzer added by an MSBuild hook
# (CustomAfterMicrosoftCSharpTargets) and warnings never made errors; a project that does not restore or compile is
# listed in OUT_DIR/failed.txt (its findings, if any, still count). Lines counted: the .cs files of the built projects'
# folders (bin/obj excluded), in OUT_DIR/lines.txt.
set -euo pipefail
loose=false
if [ "${1:-}" = "--loose" ]; then loose=true; shift; fi
git_dir=$1; out=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/src/AgentSafety.CodeFixes" -c Release -v q -nologo >/dev/null
analyzers="$root/src/AgentSafety.Analyzers/bin/Release/netstandard2.0/AgentSafety.Analyzers.dll"
mkdir -p "$out/src"
# A snapshot may lack its largest files (binary docs): then only the folders holding the projects are extracted.
if ! git --git-dir="$git_dir" archive HEAD 2>/dev/null | tar -x -C "$out/src" 2>/dev/null; then
  folders=$(for glob in "$@"; do echo "${glob%%[*?]*}"; done | xargs -n1 dirname | sort -u)
  git --git-dir="$git_dir" archive HEAD $folders | tar -x -C "$out/src"
fi
cat > "$out/agentsafety.targets" <<TARGETS
<Project>
  <ItemGroup>
    <Analyzer Include="$analyzers" />
  </ItemGroup>
  <PropertyGroup>
    <RunAnalyzers>true</RunAnalyzers>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <WarningsAsErrors />
    <CodeAnalysisTreatWarningsAsErrors>false</CodeAnalysisTreatWarningsAsErrors>
  </PropertyGroup>
</Project>
TARGETS
: > "$out/build.log"; : > "$out/failed.txt"; : > "$out/projects.txt"
cd "$out/src"
for glob in "$@"; do
  for project in $glob; do
    [ -f "$project" ] || continue
    echo "$project" >> "$out/projects.txt"
    if $loose; then
      name=$(echo "$(dirname "$project")" | tr '/' '_')
      mkdir -p "$out/loose/$name"
      cat > "$out/loose/$name/$name.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <LangVersion>latest</LangVersion>
    <NoWarn>\$(NoWarn);CS1591;NU1603;NU1608;NU1701;NU1902;NU1903;NU1904</NoWarn>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="$out/src/$(dirname "$project")/**/*.cs" Exclude="$out/src/$(dirname "$project")/**/obj/**;$out/src/$(dirname "$project")/**/bin/**" />
    <PackageReference Include="Microsoft.Extensions.AI" Version="11.0.0" />
    <PackageReference Include="Microsoft.Extensions.AI.OpenAI" Version="11.0.0" />
    <PackageReference Include="Microsoft.Agents.AI" Version="1.28.0" />
    <PackageReference Include="Microsoft.Agents.AI.Workflows" Version="1.28.0" />
    <PackageReference Include="OpenAI" Version="2.15.0" />
    <PackageReference Include="Azure.AI.OpenAI" Version="2.9.0-beta.1" />
    <PackageReference Include="Azure.Identity" Version="1.21.0" />
    <PackageReference Include="Anthropic" Version="13.15.0" />
    <PackageReference Include="Microsoft.SemanticKernel" Version="1.82.0" />
    <PackageReference Include="ModelContextProtocol" Version="2.4.0" />
    <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.15" />
    <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="11.0.0" />
    <PackageReference Include="OpenTelemetry" Version="1.20.1" />
  </ItemGroup>
</Project>
PROJ
      project="$out/loose/$name/$name.csproj"
    fi
    if ! dotnet build "$project" -nologo -v q -clp:NoSummary -p:CustomAfterMicrosoftCSharpTargets="$out/agentsafety.targets" \
         -p:TreatWarningsAsErrors=false -p:EnforceCodeStyleInBuild=false -p:GenerateDocumentationFile=false >> "$out/build.log" 2>&1; then
      echo "$project" >> "$out/failed.txt"
    fi
  done
done
# file(line,col): warning AGS002: message [project]  ->  rule \t file \t line \t message (one row per place).
grep -oE '^[^ ].*\([0-9]+,[0-9]+\): (warning|error|info) AGS[0-9]+: [^[]*' "$out/build.log" \
  | sed -E "s#^$out/src/##; s#^$out/loose/[^/]*/##; s#^(.*)\(([0-9]+),[0-9]+\): (warning|error|info) (AGS[0-9]+): (.*) *\$#\4\t\1\t\2\t\5#" \
  | sort -u > "$out/findings.tsv"
while read -r project; do dirname "$project"; done < "$out/projects.txt" | grep -v '^/'  | sort -u \
  | xargs -I{} find {} -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort -u | xargs cat | wc -l > "$out/lines.txt"
echo "findings: $(wc -l < "$out/findings.tsv")  lines: $(cat "$out/lines.txt")  failed projects: $(wc -l < "$out/failed.txt")"
cut -f1 "$out/findings.tsv" | sort | uniq -c
