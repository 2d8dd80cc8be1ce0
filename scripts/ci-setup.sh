#!/bin/sh
# CI machine setup for tests that need more than node_modules: Chromium for the
# report.html browser test (test/reports/browser.test.ts) and RocksDB's db_bench for
# the block-cache fidelity test (test/store/db-bench-fidelity.test.ts). Installs
# Debian's chromium and rocksdb-tools with apt-get when they are missing and apt-get
# can be used (as root, or through passwordless sudo). Quiet, and never fails the
# build: a test whose program is missing is skipped with its reason.
#   sh scripts/ci-setup.sh
CHROMIUM=${TIERSIM_CHROMIUM:-/usr/bin/chromium}
DB_BENCH=${TIERSIM_DB_BENCH:-/usr/bin/db_bench}

PACKAGES=
[ -x "$CHROMIUM" ] || PACKAGES="$PACKAGES chromium fonts-dejavu-core"
[ -x "$DB_BENCH" ] || PACKAGES="$PACKAGES rocksdb-tools"
if [ -z "$PACKAGES" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-setup: no apt-get; not installing$PACKAGES, the tests that need them will be skipped" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "ci-setup: not root and no passwordless sudo; not installing$PACKAGES, the tests that need them will be skipped" >&2
  exit 0
fi

# shellcheck disable=SC2086 # PACKAGES is a list of words
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 \
  && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null 2>&1; then
  echo "ci-setup: installed$PACKAGES" >&2
else
  echo "ci-setup: apt-get could not install$PACKAGES; the tests that need them will be skipped" >&2
fi
exit 0
