# Sourced by ./mvnw before it starts Maven (POSIX sh).
#
# The project compiles with --release 21, so Maven itself must run on a JDK 21 or newer.
# When JAVA_HOME (or, without it, the javac on PATH) is already 21+, nothing changes.
# Otherwise the newest JDK 21+ found in the usual install locations becomes JAVA_HOME for
# this build only. Set MVNW_SKIP_JDK_SELECTION=true to turn this off.

mvnw_jdk_feature() {
  # Prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing if $1 is no JDK.
  [ -x "$1/bin/javac" ] || return 0
  _v=""
  if [ -r "$1/release" ]; then
    _v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  fi
  if [ -z "$_v" ]; then
    _v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$_v" in 1.*) _v=${_v#1.} ;; esac
  _v=${_v%%[!0-9]*}
  printf '%s\n' "$_v"
}

mvnw_select_jdk() {
  _min=21
  _current="${JAVA_HOME-}"
  if [ -z "$_current" ]; then
    _javac=$(command -v javac 2>/dev/null || true)
    if [ -n "$_javac" ]; then
      _javac=$(readlink -f "$_javac" 2>/dev/null || printf '%s' "$_javac")
      _current=$(dirname "$(dirname "$_javac")")
    fi
  fi
  if [ -n "$_current" ]; then
    _feature=$(mvnw_jdk_feature "$_current")
    if [ -n "$_feature" ] && [ "$_feature" -ge "$_min" ]; then
      return 0
    fi
  fi

  _best=""
  _best_feature=0
  set +f
  for _home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "${HOME-}"/.sdkman/candidates/java/* "${HOME-}"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$_home" ] || continue
    [ -L "$_home" ] && continue
    _feature=$(mvnw_jdk_feature "$_home")
    [ -n "$_feature" ] || continue
    if [ "$_feature" -ge "$_min" ] && [ "$_feature" -gt "$_best_feature" ]; then
      _best="$_home"
      _best_feature="$_feature"
    fi
  done
  set -f

  if [ -z "$_best" ]; then
    echo "mvnw: this build needs a JDK $_min or newer, but ${_current:-no JDK} was found" \
      "and none newer is installed under /usr/lib/jvm, /usr/java, /opt, ~/.sdkman or ~/.jdks." \
      "Install one, or set JAVA_HOME to it." >&2
    return 0
  fi
  [ "${MVNW_VERBOSE-}" != true ] || echo "mvnw: using the JDK $_best_feature at $_best" >&2
  JAVA_HOME="$_best"
  export JAVA_HOME
}

if [ "${MVNW_SKIP_JDK_SELECTION-}" != true ]; then
  mvnw_select_jdk
fi
