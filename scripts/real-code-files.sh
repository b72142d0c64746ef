#!/usr/bin/env bash
# Measures AgentSafety's rules on sample projects that do not build here (their packages are not all served), fairly:
# each project's folder is compiled file by file into one compilation against the served agent packages, the analyzers
# run even where the compiler reports errors (a build would skip them), and each finding says whether its file compiled
# without error. Only findings in files without errors are judged: elsewhere a call chain may not bind (a package not
# served) and the rule would see less than a user's build does.
# Usage: scripts/real-code-files.sh GIT_DIR OUT_DIR [--context DIR_IN_REPO]... [--context-if TEXT] [--using NS|Alias=NS]... PROJECT_GLOB...
#   GIT_DIR      a git directory of the repository (HEAD's folders holding the projects are extracted, never committed)
#   OUT_DIR      findings.tsv (rule, file, line, clean|unclean, errors in the file, message), files.tsv (file, lines,
#                errors), projects.tsv (project, files, lines, errors, findings, findings in files without errors)
#   --context    a folder of the repository whose .cs files every project compiles with (shared sample utilities)
#   --context-if only the projects whose project file contains TEXT get the context folders (those importing them)
#   --using      a global using every project gets (as the repository's Directory.Build.props gives them)
# Examples (docs/real-code.md):
#   scripts/real-code-files.sh GITDIR/microsoft+agent-framework /tmp/rc/af --context dotnet/src/Shared/Demos \
#       --using Environment=SampleHelpers.SampleEnvironment 'dotnet/samples/*/*/*.csproj' ...
#   scripts/real-code-files.sh GITDIR/microsoft+semantic-kernel /tmp/rc/sk \
#       --context dotnet/src/InternalUtilities/samples/InternalUtilities --context dotnet/src/InternalUtilities/samples/AgentUtilities \
#       --context-if SamplesInternalUtilities.props \
#       'dotnet/samples/*/*.csproj' ...
set -euo pipefail
git_dir=$1; out=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
contexts=(); usings=(); globs=(); context_if=()
while [ $# -gt 0 ]; do
  case "$1" in
    --context) contexts+=("$2"); shift 2 ;;
    --context-if) context_if=(--context-if "$2"); shift 2 ;;
    --using) usings+=("$2"); shift 2 ;;
    *) globs+=("$1"); shift ;;
  esac
done
mkdir -p "$out/src" "$out/refs"
folders=$(for glob in "${globs[@]}"; do echo "${glob%%[*?]*}"; done | xargs -n1 dirname | sort -u)
git --git-dir="$git_dir" archive HEAD $folders "${contexts[@]}" | tar -x -C "$out/src"
# The served agent packages (the set of scripts/real-code.sh --loose, with xunit for samples written as tests, and
# Microsoft.Graph, whose Kiota request builders Semantic Kernel's BookingRestaurant demo calls from its tools).
cat > "$out/refs/refs.csproj" <<'PROJ'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <NoWarn>$(NoWarn);NU1510;NU1603;NU1608;NU1701;NU1902;NU1903;NU1904</NoWarn>
  </PropertyGroup>
  <ItemGroup>
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
    <PackageReference Include="OpenTelemetry" Version="1.21.0" />
    <PackageReference Include="OpenTelemetry.Exporter.Console" Version="1.21.0" />
    <PackageReference Include="Microsoft.Extensions.Configuration.UserSecrets" Version="11.0.0" />
    <PackageReference Include="Microsoft.Extensions.Configuration.Json" Version="11.0.0" />
    <PackageReference Include="Microsoft.Extensions.Logging.Console" Version="11.0.0" />
    <PackageReference Include="Microsoft.Graph" Version="5.92.0" />
    <PackageReference Include="xunit" Version="2.9.3" />
    <PackageReference Include="xunit.abstractions" Version="2.0.3" />
  </ItemGroup>
</Project>
PROJ
echo 'class P { static void Main() { } }' > "$out/refs/P.cs"
dotnet msbuild "$out/refs/refs.csproj" -restore -t:FindReferenceAssembliesForReferences -getItem:ReferencePathWithRefAssemblies -nologo -v:q > "$out/refs/items.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('\n'.join(i['FullPath'] for i in d['Items']['ReferencePathWithRefAssemblies']))" "$out/refs/items.json" > "$out/refs/references.txt"
dotnet build "$root/scripts/LooseCompile" -c Release -v q -nologo >/dev/null
args=(--root "$out/src" --references "$out/refs/references.txt" --out "$out")
for context in "${contexts[@]}"; do args+=(--context "$out/src/$context"); done
for using in "${usings[@]}"; do args+=(--using "$using"); done
args+=("${context_if[@]}")
cd "$out/src"
projects=()
for glob in "${globs[@]}"; do for project in $glob; do [ -f "$project" ] && projects+=("$out/src/$project"); done; done
dotnet "$root/scripts/LooseCompile/bin/Release/net10.0/LooseCompile.dll" "${args[@]}" "${projects[@]}" > "$out/run.log"
awk -F'\t' 'NR>1 { lines += $2; if ($3 == 0) { clean += $2; files++ } } END { print "lines: " lines "  in files without errors: " clean " (" files " files)" }' "$out/files.tsv"
echo "findings in files without errors, per rule:"
awk -F'\t' '$4 == "clean" { print $1 }' "$out/findings.tsv" | sort | uniq -c
echo "findings in files with errors (not judged), per rule:"
awk -F'\t' '$4 == "unclean" { print $1 }' "$out/findings.tsv" | sort | uniq -c
