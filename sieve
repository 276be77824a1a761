#!/usr/bin/env bash
# ./sieve — the one entry point for working on Sieve.
#
#   ./sieve <command> [args]   runs the cli (dev.sieve.cli.SieveCli): up, down, status, classify,
#                              classify-batch, bench, version, and the commands modules contribute
#                              (data, eval, ...). ./sieve help lists them.
#   ./sieve test [mvn args]    runs the whole test suite exactly as CI does.
#   ./sieve build              builds everything (./mvnw -B -q install -DskipTests; the format check runs in ./sieve test).
#
# What it does first:
#   1. finds a JDK >= 21: $JAVA_HOME if new enough, else /usr/lib/jvm/temurin-25-jdk-amd64, else the
#      newest /usr/lib/jvm/* that is >= 21, else `java` on PATH; otherwise it says what is missing;
#   2. builds on first use, or when any pom.xml or */src file is newer than the last build
#      (.sieve/build.stamp); SIEVE_NO_BUILD=1 skips this check.
#
# Environment: SIEVE_HOME (default: this checkout; data/ and models/ live there), SIEVE_JAVA_OPTS
# (JVM options for the cli), SIEVE_JVM_DIR (where to look for JDKs, default /usr/lib/jvm),
# SIEVE_NO_BUILD=1, SIEVE_DEBUG=1 (stack traces), SIEVE_CDS=0 (no class-data-sharing archive for
# the cli JVM; by default one is kept in .sieve/cds/ and rewritten when the jars change).
set -euo pipefail

# Resolve symlinks so a link to this script (e.g. in ~/bin) still finds the checkout.
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
MIN_JAVA=21
export SIEVE_HOME="${SIEVE_HOME:-${ROOT}}"
STAMP="${ROOT}/.sieve/build.stamp"
SERVICE_MODULES=(router url-service content-service llm-fallback-service)

die() {
  echo "sieve: $*" >&2
  exit 1
}

# Prints the feature release (major version) of a java executable, or nothing if it does not run.
# Reads JAVA_VERSION from the JDK's `release` file when there is one (starting a JVM just to ask
# its version costs a few hundred ms under load, on every ./sieve call), else asks `java -version`.
java_major() {
  local version="" line release
  release="$(dirname "$(readlink -f "$1")")/../release"
  if [[ -x "$1" && -f "${release}" ]]; then
    while IFS= read -r line; do
      if [[ "${line}" == JAVA_VERSION=* ]]; then
        version="${line#JAVA_VERSION=}"
        version="${version//\"/}"
        break
      fi
    done < "${release}"
  fi
  if [[ -z "${version}" ]]; then
    version="$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')" || return 0
  fi
  [[ -n "${version}" ]] || return 0
  if [[ "${version}" == 1.* ]]; then
    version="${version#1.}"          # 1.8.0_392 -> 8.0_392
  fi
  version="${version%%[.+_-]*}"      # 25.0.1 / 21-ea / 25+36 -> 25 / 21 / 25
  [[ "${version}" =~ ^[0-9]+$ ]] && echo "${version}"
  return 0
}

# Finds a java >= MIN_JAVA; sets JAVA_BIN and exports JAVA_HOME. Explains and exits 1 otherwise.
find_java() {
  local tried=() candidate major best="" best_major=0 jvm_dir="${SIEVE_JVM_DIR:-/usr/lib/jvm}"

  if [[ -n "${JAVA_HOME:-}" ]]; then
    candidate="${JAVA_HOME}/bin/java"
    if [[ -x "${candidate}" ]]; then
      major="$(java_major "${candidate}")"
      if [[ -n "${major}" && "${major}" -ge "${MIN_JAVA}" ]]; then
        JAVA_BIN="${candidate}"
        JAVA_MAJOR="${major}"
        return 0
      fi
      tried+=("JAVA_HOME=${JAVA_HOME}: Java ${major:-?} (too old or not working)")
    else
      tried+=("JAVA_HOME=${JAVA_HOME}: no bin/java there")
    fi
  else
    tried+=("JAVA_HOME is not set")
  fi

  candidate="${jvm_dir}/temurin-25-jdk-amd64/bin/java"
  if [[ -x "${candidate}" ]]; then
    major="$(java_major "${candidate}")"
    if [[ -n "${major}" && "${major}" -ge "${MIN_JAVA}" ]]; then
      best="${candidate}"
      best_major="${major}"
    fi
  fi
  if [[ -z "${best}" ]]; then
    shopt -s nullglob
    for candidate in "${jvm_dir}"/*/bin/java; do
      major="$(java_major "${candidate}")"
      if [[ -n "${major}" && "${major}" -ge "${MIN_JAVA}" && "${major}" -gt "${best_major}" ]]; then
        best="${candidate}"
        best_major="${major}"
      fi
    done
    shopt -u nullglob
    [[ -n "${best}" ]] || tried+=("${jvm_dir}: no JDK >= ${MIN_JAVA}")
  fi
  if [[ -z "${best}" ]] && command -v java >/dev/null 2>&1; then
    candidate="$(command -v java)"
    major="$(java_major "${candidate}")"
    if [[ -n "${major}" && "${major}" -ge "${MIN_JAVA}" ]]; then
      best="${candidate}"
      best_major="${major}"
    else
      tried+=("${candidate} (on PATH): Java ${major:-?}")
    fi
  elif [[ -z "${best}" ]]; then
    tried+=("no java on PATH")
  fi

  if [[ -z "${best}" ]]; then
    {
      echo "sieve: Sieve needs a JDK ${MIN_JAVA} or newer, and none was found:"
      local line
      for line in "${tried[@]}"; do echo "  - ${line}"; done
      echo "Install one, then point JAVA_HOME at it, e.g.:"
      echo "  Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk   (or Eclipse Temurin 21/25: https://adoptium.net)"
      echo "  then:           export JAVA_HOME=/usr/lib/jvm/<that-jdk>   and run ./sieve again"
    } >&2
    exit 1
  fi
  JAVA_BIN="${best}"
  JAVA_MAJOR="${best_major}"
  # Resolve symlinks (/usr/bin/java -> .../bin/java) so JAVA_HOME is the real JDK.
  JAVA_HOME="$(cd "$(dirname "$(readlink -f "${best}")")/.." && pwd)"
  export JAVA_HOME
}

# Prints why a build is needed, or nothing when the build is current. Cheap: a few stats and one
# `find -newer` that stops at the first hit.
build_reason() {
  local module jar
  [[ -d "${ROOT}/cli/target/lib" ]] || { echo "cli/target/lib is missing"; return; }
  compgen -G "${ROOT}/cli/target/sieve-cli-*.jar" >/dev/null || { echo "the cli jar is missing"; return; }
  for module in "${SERVICE_MODULES[@]}"; do
    [[ -d "${ROOT}/${module}" ]] || continue
    compgen -G "${ROOT}/${module}/target/sieve-${module}-*.jar" >/dev/null \
      || { echo "${module} is not built"; return; }
  done
  [[ -f "${STAMP}" ]] || { echo "no record of a previous build (.sieve/build.stamp)"; return; }
  local changed
  changed="$(find "${ROOT}" -maxdepth 1 -name pom.xml -newer "${STAMP}" -print -quit)"
  if [[ -z "${changed}" ]]; then
    changed="$(find "${ROOT}"/*/src "${ROOT}"/*/pom.xml -newer "${STAMP}" -print -quit 2>/dev/null || true)"
  fi
  [[ -z "${changed}" ]] || echo "sources changed since the last build (${changed#"${ROOT}"/})"
}

run_build() {
  local reason="$1" started
  [[ -x "${JAVA_HOME}/bin/javac" ]] \
    || die "building needs a JDK, but ${JAVA_HOME} has no bin/javac (a JRE?). Install a JDK ${MIN_JAVA}+ and set JAVA_HOME."
  echo "sieve: building (${reason}): ./mvnw -B install -DskipTests (full log: .sieve/build.log)" >&2
  mkdir -p "${ROOT}/.sieve"
  # Stamp the time the build STARTED: an edit made during the build triggers the next one.
  started="$(mktemp "${ROOT}/.sieve/build.stamp.XXXXXX")"
  # One progress line per module (a first build downloads dependencies and takes minutes: it must not
  # look hung); the full Maven output goes to the log and its errors to the terminal on failure.
  if ! (cd "${ROOT}" && set -o pipefail && ./mvnw -B -ntp install -DskipTests -Dspotless.check.skip=true 2>&1 \
      | tee "${ROOT}/.sieve/build.log" \
      | sed -un 's/^\[INFO\] Building \(Sieve :: [^ ]*\).*\[\([0-9]*\/[0-9]*\)\]$/sieve:   [\2] \1/p' >&2); then
    rm -f "${started}"
    grep -E '^\[ERROR\]' "${ROOT}/.sieve/build.log" | head -40 >&2 || true
    die "the build failed (above; full log: .sieve/build.log). Fix it, or run without rebuilding: SIEVE_NO_BUILD=1 ./sieve ..."
  fi
  mv -f "${started}" "${STAMP}"
  echo "sieve: build done." >&2
}

ensure_built() {
  [[ "${SIEVE_NO_BUILD:-}" == "1" ]] && return 0
  local reason
  reason="$(build_reason)"
  [[ -z "${reason}" ]] || run_build "${reason}"
}

run_cli() {
  local jar="" candidate
  for candidate in "${ROOT}"/cli/target/sieve-cli-*.jar; do
    case "${candidate}" in
      *-tests.jar | *-sources.jar | *-javadoc.jar) ;;
      *) [[ -f "${candidate}" ]] && jar="${candidate}" ;;
    esac
  done
  [[ -n "${jar}" ]] || die "the cli is not built (no cli/target/sieve-cli-*.jar); run ./sieve build"
  local progress="plain"
  if [[ -t 2 ]]; then progress="tty"; fi
  # Quiet JDK warnings about what gRPC's dependencies do: Netty loads a native transport (JDK 22+
  # warns) and protobuf uses sun.misc.Unsafe (JDK 24+ warns; the switch exists since JDK 23).
  local jvm_flags=(--enable-native-access=ALL-UNNAMED)
  if [[ "${JAVA_MAJOR:-0}" -ge 23 ]]; then jvm_flags+=(--sun-misc-unsafe-memory-access=allow); fi
  # Start-up: an AppCDS archive of the classes the cli loads (JDK 19+ writes it at the end of the
  # first run and rewrites it by itself when the JDK or a jar on the class path changes; it lives
  # in .sieve/cds/, never committed; SIEVE_CDS=0 turns it off). Help alone also stays on the
  # C1 compiler: it runs for milliseconds, C2 would only compete for the CPU.
  if [[ "${SIEVE_CDS:-1}" != "0" ]] && mkdir -p "${ROOT}/.sieve/cds" 2>/dev/null; then
    jvm_flags+=(-XX:SharedArchiveFile="${ROOT}/.sieve/cds/cli.jsa" -XX:+AutoCreateSharedArchive
      -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
  if [[ "${CLI_HELP_ONLY:-0}" == "1" ]]; then jvm_flags+=(-XX:TieredStopAtLevel=1); fi
  # shellcheck disable=SC2086 # SIEVE_JAVA_OPTS is a list of options
  exec "${JAVA_BIN}" "${jvm_flags[@]}" ${SIEVE_JAVA_OPTS:-} \
    -Dsieve.home="${SIEVE_HOME}" \
    -Dsieve.build.root="${ROOT}" \
    -Dsieve.progress="${SIEVE_PROGRESS:-${progress}}" \
    -cp "${jar}:${ROOT}/cli/target/lib/*" \
    dev.sieve.cli.SieveCli "$@"
}

# The dataset's generated files (*.jsonl.gz) are not committed: a fresh clone rebuilds them from
# data/raw, deterministically (the manifest's hashes must match), before anything reads them.
ensure_dataset() {
  local current="${SIEVE_HOME}/data/datasets/CURRENT" version
  if [[ -f "${current}" ]]; then
    version="$(< "${current}")"
    version="${version//[[:space:]]/}"
    [[ -f "${SIEVE_HOME}/data/datasets/${version}/domains.jsonl.gz" ]] && return 0
    echo "sieve: dataset ${version} is not built here yet: ./sieve data build (a few minutes, once)" >&2
  else
    echo "sieve: no dataset version (data/datasets/CURRENT missing): ./sieve data build" >&2
  fi
  "${BASH}" "${ROOT}/sieve" data build \
    || die "the dataset build failed (see above)"
}

run_tests() {
  cd "${ROOT}"
  if [[ -f helm/tools/install-helm.sh ]]; then
    echo "sieve test: installing helm for the chart tests (helm/tools/install-helm.sh)" >&2
    "${BASH}" helm/tools/install-helm.sh
  fi
  if [[ -f helm/tools/install-promtool.sh ]]; then
    echo "sieve test: installing promtool (Debian prometheus) for the metrics tests (helm/tools/install-promtool.sh)" >&2
    "${BASH}" helm/tools/install-promtool.sh
  fi
  if [[ -f helm/tools/install-postgresql.sh ]]; then
    echo "sieve test: installing postgresql (Debian postgresql) for the annotation app's PostgreSQL tests (helm/tools/install-postgresql.sh)" >&2
    "${BASH}" helm/tools/install-postgresql.sh
  fi
  if [[ -f helm/tools/install-chromium.sh ]]; then
    echo "sieve test: installing chromium and chromium-driver (Debian) for the annotation app's browser tests (helm/tools/install-chromium.sh)" >&2
    "${BASH}" helm/tools/install-chromium.sh
  fi
  if [[ -f helm/tools/install-python-grpc.sh ]]; then
    echo "sieve test: installing protoc, the gRPC Python plugin and python3-grpcio (Debian) for the Python client example's test (helm/tools/install-python-grpc.sh)" >&2
    "${BASH}" helm/tools/install-python-grpc.sh
  fi
  if [[ -f helm/tools/install-squid.sh ]]; then
    echo "sieve test: installing squid (Debian squid) for the ICAP proxy test (helm/tools/install-squid.sh)" >&2
    "${BASH}" helm/tools/install-squid.sh
  fi
  ensure_dataset
  echo "sieve test: ./mvnw -B verify $*" >&2
  exec ./mvnw -B verify "$@"
}

# True when the command line only asks for help or the version: those never build, rebuild a
# dataset or start anything (they only need a cli that was built once).
wants_help() {
  local arg
  # -V/--version only as the whole command line: a subcommand may own --version (data card
  # --version <dataset id>), and that is a real run which needs a current build.
  [[ $# -eq 0 || "${1}" == "help" || ( $# -eq 1 && ( "${1}" == "-V" || "${1}" == "--version" ) ) ]] && return 0
  for arg in "$@"; do
    case "${arg}" in
      -h | --help) return 0 ;;
    esac
  done
  return 1
}

main() {
  find_java
  if [[ "${1:-}" != "test" && "${1:-}" != "build" ]] && wants_help "$@"; then
    compgen -G "${ROOT}/cli/target/sieve-cli-*.jar" >/dev/null || ensure_built
    CLI_HELP_ONLY=1 run_cli "$@"
  fi
  case "${1:-}" in
    test)
      shift
      run_tests "$@"
      ;;
    build)
      shift
      run_build "requested"
      ;;
    up)
      ensure_built
      ensure_dataset
      run_cli "$@"
      ;;
    *)
      ensure_built
      run_cli "$@"
      ;;
  esac
}

main "$@"
