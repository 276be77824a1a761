#!/usr/bin/env bash
# A longer Jazzer fuzzing run of one fuzz test than the few seconds the test suite gives it.
#
#   scripts/fuzz.sh MODULE TEST_CLASS [SECONDS]      e.g. scripts/fuzz.sh core dev.sieve.core.url.UrlNormalizerFuzzTest 600
#
# Compiles MODULE and what it depends on (offline first), then runs Jazzer's own driver on the
# @FuzzTest in TEST_CLASS for SECONDS (default 600), starting from the committed inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/) and a corpus kept between runs in
# MODULE/target/fuzz-corpus/. A finding is written to MODULE/target/fuzz-findings/ and Jazzer exits
# non-zero; copy the file into the Inputs directory above and the test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
module=$1
class=$2
seconds=${3:-600}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

source_file=$(find "$module/src/test/java" -path "*/${class//.//}.java" | head -1)
if [[ -z $source_file ]]; then
  echo "scripts/fuzz.sh: no $class in $module/src/test/java" >&2
  exit 2
fi
method=$(grep -A3 '@FuzzTest' "$source_file" | grep -oE 'void [A-Za-z0-9_]+' | head -1 | cut -d' ' -f2)
classpath_file=$module/target/fuzz-classpath.txt
offline=-o
if ! ./mvnw -B -q "$offline" -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test >/dev/null; then
  ./mvnw -B -q -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test >/dev/null
fi
inputs=$module/src/test/resources/${class%.*}
inputs=${inputs//.//}/${class##*.}Inputs/$method
corpus=$module/target/fuzz-corpus/${class##*.}
findings=$module/target/fuzz-findings/
mkdir -p "$corpus" "$findings" "$inputs"
echo "fuzzing $class#$method for ${seconds}s (corpus $corpus, findings $findings)" >&2
exec "$java" -XX:+EnableDynamicAgentLoading -Xmx2g \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class="$class" --target_method="$method" \
  -max_total_time="$seconds" -artifact_prefix="$findings" -print_final_stats=1 \
  "$corpus" "$inputs"
