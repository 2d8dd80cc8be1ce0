#!/bin/sh
# CI machine setup for tests that need more than node_modules: Chromium for the
# report.html browser test (test/reports/browser.test.ts). Installs Debian's chromium
# with apt-get when it is missing and apt-get can be used (as root, or through
# passwordless sudo). Quiet, and never fails the build: without Chromium the
# browser test is skipped with its reason.
#   sh scripts/ci-setup.sh
CHROMIUM=${TIERSIM_CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-setup: no apt-get; $CHROMIUM missing, the browser test will be skipped" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "ci-setup: not root and no passwordless sudo; $CHROMIUM missing, the browser test will be skipped" >&2
  exit 0
fi

if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 \
  && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1; then
  echo "ci-setup: installed $(chromium --version 2>/dev/null || echo chromium)" >&2
else
  echo "ci-setup: apt-get could not install chromium; the browser test will be skipped" >&2
fi
exit 0
